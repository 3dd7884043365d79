import type { CircleBroadcaster, CircleService } from '../circle-service.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { MediaService } from '../media/media-service.js';
import type { RateLimit } from '../rate-limits.js';
import { SocketBroadcaster } from './broadcaster.js';
import { commandRoute } from './command-dispatch.js';
import { route } from './event-route.js';
import { handshake } from './handshake.js';
import { mediaConnection } from './media-connection.js';
import { MemberConnections, type SeatTracker } from './member-connections.js';
import type { OriginPolicy } from './origin-policy.js';
import { RefusalStrikes } from './refusal-strikes.js';
import { SlowReaders } from './slow-readers.js';
import { changeBudgets } from '../change-budgets.js';
import { clientAddress } from './client-address.js';
import { type PeerDirectory, signalRoute, socketDelivery } from './signal-relay.js';
import type { SpiralServer } from './spiral-socket.js';
import { withAck } from './with-ack.js';

export type { SocketData, SpiralServer, SpiralSocket } from './spiral-socket.js';

export interface SocketDeps {
  io: SpiralServer;
  service: CircleService;
  media: MediaService;
  /** Who is in each circle's peer-to-peer media session, for the signal relay. */
  peers: PeerDirectory;
  clock: Clock;
  logger: Logger;
  originPolicy: OriginPolicy;
  joinLimit: RateLimit;
  /** Which proxies' X-Forwarded-For to believe for the client address (as Express's `trust proxy`). */
  trustProxy: string;
  /** A new limit per connection. */
  commandLimit: () => RateLimit;
  /** The signalling limit, keyed by connection (one for the whole process). */
  signalLimit: () => RateLimit;
  /** Simultaneous seats one address may hold in one circle (`SEATS_PER_ADDRESS`). */
  seatsPerAddress?: number;
  /** The per-member gesture limit (one for the whole process). */
  gestureLimit: () => RateLimit;
  /** Every handshake per address (default: this process's memory). */
  handshakeLimit?: RateLimit;
  /** Told which seats this process's connections hold (Redis mode: so a survivor can mark them away if it dies). */
  seats?: SeatTracker;
}

/** Wire Socket.IO to the circle: handshake → join, client events → their routes, snapshots out. */
export function attachSocketHandlers(deps: SocketDeps): CircleBroadcaster & { close(): void } {
  const { io, service, media, clock, logger } = deps;
  const members = new MemberConnections({ leave: (...args) => service.leave(...args), io, tracker: deps.seats, logger });
  const slowReaders = new SlowReaders({ io, logger });
  const broadcaster = new SocketBroadcaster({ io, members, slowReaders, circles: service, clock, logger });
  const deliver = socketDelivery(io);
  const gestureLimit = deps.gestureLimit();
  const budgets = changeBudgets();
  const signalLimit = deps.signalLimit();
  const strikes = new RefusalStrikes(logger);

  io.use(handshake({ circles: service, members, joinLimit: deps.joinLimit, handshakeLimit: deps.handshakeLimit, originPolicy: deps.originPolicy, trustProxy: deps.trustProxy, seatsPerAddress: deps.seatsPerAddress, logger }));

  io.on('connection', (socket) => {
    members.markConnected(socket);
    slowReaders.watch(socket);
    const who = socket.data;
    const connection = mediaConnection(io, socket);
    const failed = (what: string) => (error: unknown) => logger.error({ err: error, circleId: who.circleId }, what);

    const address = clientAddress(socket.request, deps.trustProxy);
    const command = route(socket.id, commandRoute(who, connection, { circles: service, media, limit: deps.commandLimit(), gestureLimit, budgets, address }));
    socket.on(
      'circle:command',
      withAck(async (payload) => {
        const ack = await command(payload);
        // Connections of an address that keeps sending what is refused as too fast are cut.
        strikes.count(socket, address, ack).catch(failed('could not count a refusal'));
        return ack;
      }, failed('command failed')),
    );
    socket.on(
      'media:signal',
      withAck(route(socket.id, signalRoute(who, socket.id, { peers: deps.peers, deliver, limit: signalLimit })), failed('media signal failed')),
    );
    socket.on('clock:sync', (maybeAck: unknown) => {
      if (typeof maybeAck === 'function') (maybeAck as (serverTime: number) => void)(clock.now());
    });
    socket.on('disconnect', () => {
      media.disconnected(who.circleId, who.participantId, connection);
      // Asked inside the circle's lock: a newer connection that has taken the seat meanwhile wins.
      members.away(socket);
      logger.info({ circleId: who.circleId, participantId: who.participantId }, 'connection closed');
    });

    void broadcaster.welcome(socket);
  });

  return broadcaster;
}
