import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Logger } from '../logger.js';
import type { SpiralSocket } from './spiral-socket.js';

/**
 * `rate_limited` refusals one connection may collect in 10 s before it is cut. A person's client
 * never comes near: it does not resend what was refused. A flood does, and answering it refusal by
 * refusal still costs the server time other circles need; cut, it has to spend the join budget to
 * come back.
 */
export const STRIKES_BEFORE_CUT = 50;
const STRIKE_WINDOW_SECONDS = 10;

export class RefusalStrikes {
  private readonly strikes = new RateLimiterMemory({ keyPrefix: 'strikes', points: STRIKES_BEFORE_CUT, duration: STRIKE_WINDOW_SECONDS });

  constructor(private readonly logger: Logger) {}

  /** `ack` went back to `socket`: a `rate_limited` refusal is a strike, and one too many cuts the connection. */
  async count(socket: SpiralSocket, ack: unknown): Promise<void> {
    if (!isRateLimited(ack)) return;
    try {
      await this.strikes.consume(socket.id);
    } catch (rejection) {
      if (rejection instanceof Error) throw rejection;
      if (!socket.connected) return;
      this.logger.warn({ circleId: socket.data.circleId, participantId: socket.data.participantId }, 'connection cut: too many refused commands');
      socket.disconnect(true);
    }
  }
}

function isRateLimited(ack: unknown): boolean {
  if (typeof ack !== 'object' || ack === null || !('ok' in ack) || ack.ok !== false || !('error' in ack)) return false;
  const { error } = ack as { error: unknown };
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'rate_limited';
}
