import { TRANSPORT_REFUSALS } from '@spiral/shared';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Logger } from '../logger.js';
import type { SpiralSocket } from './spiral-socket.js';

/**
 * Refusals for sending too fast (a connection's own limit, its address's or circle's change
 * budget) one client address may collect in 10 s; past that, each of its connections is cut at its
 * next such refusal. A person's client never comes near: it does not resend what was refused. A
 * flood does, and answering it refusal by refusal still costs the server time other circles need;
 * cut, it has to spend the join budget to come back. Gestures refused for coming more than once a
 * second are no strike: a person tapping a heart quickly is not a flood.
 */
export const STRIKES_BEFORE_CUT = 30;
const STRIKE_WINDOW_SECONDS = 10;

export class RefusalStrikes {
  private readonly strikes = new RateLimiterMemory({ keyPrefix: 'strikes', points: STRIKES_BEFORE_CUT, duration: STRIKE_WINDOW_SECONDS });

  constructor(private readonly logger: Logger) {}

  /** `ack` went back to `socket` (from `address`): a `rate_limited` refusal is a strike, and past the budget the connection is cut. */
  async count(socket: SpiralSocket, address: string, ack: unknown): Promise<void> {
    if (!isRateLimited(ack)) return;
    try {
      await this.strikes.consume(address);
    } catch (rejection) {
      if (rejection instanceof Error) throw rejection;
      if (!socket.connected) return;
      this.logger.warn({ circleId: socket.data.circleId, participantId: socket.data.participantId }, 'connection cut: too many refused commands from its address');
      socket.disconnect(true);
    }
  }
}

function isRateLimited(ack: unknown): boolean {
  if (typeof ack !== 'object' || ack === null || !('ok' in ack) || ack.ok !== false || !('error' in ack)) return false;
  const { error } = ack as { error: unknown };
  if (typeof error !== 'object' || error === null || !('code' in error) || error.code !== 'rate_limited') return false;
  return !('message' in error && error.message === TRANSPORT_REFUSALS.gesturesTooFast.message);
}
