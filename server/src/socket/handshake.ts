import type { JoinErrorCode } from '@spiral/shared';
import type { CircleService } from '../circle-service.js';
import type { Logger } from '../logger.js';
import type { RateLimit } from '../rate-limits.js';
import { clientAddress } from './client-address.js';
import type { MemberConnections } from './member-connections.js';
import { isOriginAllowed, type OriginPolicy } from './origin-policy.js';
import type { SpiralSocket } from './spiral-socket.js';

export interface HandshakeDeps {
  circles: Pick<CircleService, 'join'>;
  members: MemberConnections;
  joinLimit: RateLimit;
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
 * own checks; the seated connection replaces an older one of the same member.
 */
export function handshake(deps: HandshakeDeps): (socket: SpiralSocket, next: Next) => Promise<void> {
  const { members, logger } = deps;
  return async (socket, next) => {
    try {
      if (!(await deps.joinLimit.allow(clientAddress(socket.request, deps.trustProxy)))) return next(refusal('rate_limited'));
      if (!isOriginAllowed(deps.originPolicy, socket.handshake.headers.origin)) return next(refusal('forbidden'));
      let previous: SpiralSocket | undefined;
      const result = await deps.circles.join(socket.handshake.auth, (seated) => {
        // Inside the circle's lock: this connection holds the seat from now on.
        previous = members.claim(seated.circleId, seated.participantId, socket);
      });
      if (!result.ok) return next(refusal(result.code));
      const { circleId, participantId, resumed } = result;
      socket.data = { circleId, participantId, sessionToken: result.sessionToken };
      members.replace(previous, socket);
      // The client may have gone while it was being seated: then it must not stay "here".
      if (socket.conn.readyState !== 'open') {
        members.awayIfNeverConnected(socket);
        return next(refusal('closed'));
      }
      socket.conn.once('close', () => members.awayIfNeverConnected(socket));
      logger.info({ circleId, participantId, resumed }, 'member joined');
      next();
    } catch (error) {
      logger.error({ err: error }, 'handshake failed');
      next(refusal('not_found'));
    }
  };
}
