import type { JoinErrorCode } from '@spiral/shared';
import type { CircleService } from '../circle-service.js';
import type { Logger } from '../logger.js';
import { parseJoinAuth } from '../admission.js';
import { handshakeRateLimit, type RateLimit } from '../rate-limits.js';
import { clientAddress } from './client-address.js';
import type { MemberConnections } from './member-connections.js';
import { isOriginAllowed, type OriginPolicy } from './origin-policy.js';
import { DEFAULT_SEATS_PER_ADDRESS, SeatsByAddress } from './seats-by-address.js';
import type { SpiralSocket } from './spiral-socket.js';

export interface HandshakeDeps {
  circles: Pick<CircleService, 'join' | 'state'>;
  members: MemberConnections;
  /** Joins per address: spent only by handshakes that reach a real circle's checks. */
  joinLimit: RateLimit;
  /** Every handshake per address, a generous cheap guard against floods of garbage (default: `handshakeRateLimit()`). */
  handshakeLimit?: RateLimit;
  /** Simultaneous seats one address may hold in one circle (`SEATS_PER_ADDRESS`, default 10); a facilitator key is never refused by it. */
  seatsPerAddress?: number;
  originPolicy: OriginPolicy;
  /** Which proxies' X-Forwarded-For to believe for the client address (as Express's `trust proxy`). */
  trustProxy: string;
  logger: Logger;
}

type Next = (error?: Error) => void;

/** A refused handshake: the client's `connect_error` carries the code as its message. */
const refusal = (code: JoinErrorCode | 'closed') => new Error(code);

/**
 * The Socket.IO handshake (`io.use`), in PROTOCOL.md's order: join limit, origin, then the circle's
 * own checks; the seated connection replaces an older one of the same member. Only a handshake that
 * names a circle that exists, with a well-formed auth, spends the join budget: garbage (`not_found`,
 * a malformed auth's `invalid`) is answered under a separate, generous handshake limit instead.
 * One address holds at most `seatsPerAddress` connected seats in one circle (`full` beyond it),
 * unless it brings a facilitator key.
 */
export function handshake(deps: HandshakeDeps): (socket: SpiralSocket, next: Next) => Promise<void> {
  const { members, logger } = deps;
  const handshakeLimit = deps.handshakeLimit ?? handshakeRateLimit();
  const seats = new SeatsByAddress(deps.seatsPerAddress ?? DEFAULT_SEATS_PER_ADDRESS);
  return async (socket, next) => {
    let slot: { circleId: string; address: string } | undefined;
    const giveBack = () => {
      if (slot) seats.release(slot.circleId, slot.address, socket);
      slot = undefined;
    };
    try {
      const address = clientAddress(socket.request, deps.trustProxy);
      if (!(await handshakeLimit.allow(address))) return next(refusal('rate_limited'));
      const originAllowed = isOriginAllowed(deps.originPolicy, socket.handshake.headers.origin);
      const parsed = parseJoinAuth(socket.handshake.auth);
      const circleId = parsed.ok ? parsed.auth.circleId : parsed.circleId;
      const garbage = circleId === null || (await deps.circles.state(circleId)) === null ? 'not_found' : parsed.ok ? null : 'invalid';
      if (garbage) return next(refusal(originAllowed ? garbage : 'forbidden'));
      if (!(await deps.joinLimit.allow(address))) return next(refusal('rate_limited'));
      if (!originAllowed) return next(refusal('forbidden'));
      if (parsed.ok && parsed.auth.facilitatorKey === undefined) {
        if (!seats.take(parsed.auth.circleId, address, socket, parsed.auth.sessionToken)) return next(refusal('full'));
        slot = { circleId: parsed.auth.circleId, address };
      }
      let previous: SpiralSocket | undefined;
      const result = await deps.circles.join(
        socket.handshake.auth,
        (seated) => {
          // Inside the circle's lock: this connection holds the seat from now on.
          previous = members.claim(seated.circleId, seated.participantId, socket);
        },
        socket.id,
      );
      if (!result.ok) {
        giveBack();
        return next(refusal(result.code));
      }
      const { circleId: seatedIn, participantId, resumed } = result;
      socket.data = { circleId: seatedIn, participantId, sessionToken: result.sessionToken };
      if (slot) seats.seated(slot.circleId, slot.address, socket, result.sessionToken);
      members.replace(previous, socket, resumed);
      // The client may have gone while it was being seated: then it must not stay "here".
      if (socket.conn.readyState !== 'open') {
        giveBack();
        members.awayIfNeverConnected(socket);
        return next(refusal('closed'));
      }
      socket.conn.once('close', () => {
        giveBack();
        members.awayIfNeverConnected(socket);
      });
      logger.info({ circleId: seatedIn, participantId, resumed }, 'member joined');
      next();
    } catch (error) {
      giveBack();
      logger.error({ err: error }, 'handshake failed');
      next(refusal('not_found'));
    }
  };
}
