import {
  type ClientToServerEvents,
  type CommandAck,
  commandSchema,
  type IceServerConfig,
  mediaSignalSchema,
  type RemovedReason,
  type ServerToClientEvents,
  type SignalAck,
} from '@spiral/shared';
import type { Server, Socket } from 'socket.io';
import type { CircleBroadcaster, CircleService } from '../circle-service.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { RateLimit } from '../rate-limits.js';
import { clientAddress } from './client-address.js';
import { ConnectionRegistry } from './connection-registry.js';
import { describeCommandProblem } from './describe-problem.js';
import { isOriginAllowed, type OriginPolicy } from './origin-policy.js';
import type { PeerMediaSessions } from './peer-media.js';

export interface SocketData {
  circleId: string;
  participantId: string;
  sessionToken: string;
}

export type SpiralServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type SpiralSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface SocketDeps {
  io: SpiralServer;
  service: CircleService;
  clock: Clock;
  logger: Logger;
  originPolicy: OriginPolicy;
  joinLimit: RateLimit;
  /** Which proxies' X-Forwarded-For to believe for the client address (as Express's `trust proxy`). */
  trustProxy: string;
  commandLimit: () => RateLimit;
  /** Peer-to-peer media, used when no media server is configured. */
  p2p: { sessions: PeerMediaSessions; iceServers: IceServerConfig[]; signalLimit: () => RateLimit };
}

const mediaRoom = (circleId: string) => `${circleId}:media`;

const noAck = () => {};

/** Wire Socket.IO to the circle service: handshake → join, commands → the pipeline, snapshots out. */
export function attachSocketHandlers(deps: SocketDeps): CircleBroadcaster {
  const { io, service, clock, logger } = deps;
  const registry = new ConnectionRegistry<SpiralSocket>();
  /** The newest version broadcast per circle (bounded by the circles this process has served). */
  const lastBroadcast = new Map<string, number>();

  /** Sockets whose `connection` has run; one that closes before it must still leave. */
  const connectedSockets = new WeakSet<SpiralSocket>();

  io.use(async (socket, next) => {
    try {
      const address = clientAddress(socket.request, deps.trustProxy);
      if (!(await deps.joinLimit.allow(address))) return next(new Error('rate_limited'));
      if (!isOriginAllowed(deps.originPolicy, socket.handshake.headers.origin)) return next(new Error('forbidden'));
      let previous: SpiralSocket | undefined;
      const result = await service.join(socket.handshake.auth, (seated) => {
        // Inside the circle's lock: this connection holds the seat from now on.
        previous = registry.replace(seated.circleId, seated.participantId, socket);
      });
      if (!result.ok) return next(new Error(result.code));
      const { circleId, participantId } = result;
      socket.data = { circleId, participantId, sessionToken: result.sessionToken };
      if (previous && previous !== socket) {
        previous.emit('circle:removed', { reason: 'replaced' });
        previous.disconnect(true);
      }
      // The client may have gone while it was being seated: then it must not stay "here".
      const leaveIfNeverConnected = () => {
        if (connectedSockets.has(socket)) return;
        service.leave(circleId, participantId, () => registry.release(circleId, participantId, socket)).catch((error: unknown) => {
          logger.error({ err: error, circleId }, 'could not mark member away');
        });
      };
      if (socket.conn.readyState !== 'open') {
        leaveIfNeverConnected();
        return next(new Error('closed'));
      }
      socket.conn.once('close', leaveIfNeverConnected);
      logger.info({ circleId, participantId, resumed: result.resumed }, 'member joined');
      next();
    } catch (error) {
      logger.error({ err: error }, 'handshake failed');
      next(new Error('not_found'));
    }
  });

  io.on('connection', async (socket) => {
    connectedSockets.add(socket);
    const { circleId, participantId, sessionToken } = socket.data;
    const limit = deps.commandLimit();
    const signalLimit = deps.p2p.signalLimit();
    const p2p = deps.p2p.sessions;
    const announcePeers = () => io.to(mediaRoom(circleId)).emit('media:peers', { peers: p2p.peers(circleId) });
    const leaveP2p = () => {
      void socket.leave(mediaRoom(circleId));
      if (p2p.leave(circleId, participantId, socket.id)) announcePeers();
    };

    /** `media.join` without a media server: a seat in the circle's peer-to-peer session, if there is room. */
    const joinP2p = async (): Promise<CommandAck> => {
      const state = await service.state(circleId);
      if (!state?.participants.some((p) => p.id === participantId)) {
        return { ok: false, error: { code: 'forbidden', message: 'You are not a member of this circle.' } };
      }
      if (!p2p.join(circleId, participantId, socket.id)) {
        return {
          ok: false,
          error: {
            code: 'media_unavailable',
            message: `Peer-to-peer video holds at most ${p2p.maxPeers} people. For a larger circle the host needs a LiveKit server (LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET).`,
          },
        };
      }
      await socket.join(mediaRoom(circleId));
      announcePeers();
      return { ok: true, mode: 'p2p', iceServers: deps.p2p.iceServers, peers: p2p.peers(circleId).filter((id) => id !== participantId) };
    };

    socket.on('disconnect', () => {
      leaveP2p();
      // Asked inside the circle's lock: a newer connection that has taken the seat meanwhile wins.
      service.leave(circleId, participantId, () => registry.release(circleId, participantId, socket)).catch((error: unknown) => {
        logger.error({ err: error, circleId }, 'could not mark member away');
      });
      logger.info({ circleId, participantId }, 'connection closed');
    });

    socket.on('circle:command', async (raw: unknown, maybeAck: unknown) => {
      const ack = typeof maybeAck === 'function' ? (maybeAck as (result: CommandAck) => void) : noAck;
      try {
        if (!(await limit.allow(socket.id))) {
          return ack({ ok: false, error: { code: 'rate_limited', message: 'Too many commands at once; slow down a little.' } });
        }
        const parsed = commandSchema.safeParse(raw);
        if (!parsed.success) {
          return ack({ ok: false, error: { code: 'invalid', message: describeCommandProblem(raw, parsed.error.issues) } });
        }
        const command = parsed.data;
        if (command.type === 'media.join') {
          return ack(service.mediaServerAvailable ? await service.mediaJoin(circleId, participantId) : await joinP2p());
        }
        const result = await service.command(circleId, participantId, command);
        if (command.type === 'media.leave' && result.ok) leaveP2p();
        ack(result);
      } catch (error) {
        logger.error({ err: error, circleId }, 'command failed');
        ack({ ok: false, error: { code: 'internal', message: 'Something went wrong on the server; nothing was changed.' } });
      }
    });

    socket.on('media:signal', async (raw: unknown, maybeAck: unknown) => {
      const ack = typeof maybeAck === 'function' ? (maybeAck as (result: SignalAck) => void) : noAck;
      try {
        if (!(await signalLimit.allow(socket.id))) {
          return ack({ ok: false, error: { code: 'rate_limited', message: 'Too many media signals at once.' } });
        }
        const parsed = mediaSignalSchema.safeParse(raw);
        if (!parsed.success) return ack({ ok: false, error: { code: 'invalid', message: 'A media signal needs "to" and a description or a candidate.' } });
        if (p2p.socketOf(circleId, participantId) !== socket.id) {
          return ack({ ok: false, error: { code: 'forbidden', message: 'Join the peer-to-peer media session first (media.join).' } });
        }
        const { to, ...signal } = parsed.data;
        const target = p2p.socketOf(circleId, to);
        const targetSocket = target === undefined ? undefined : io.sockets.sockets.get(target);
        if (!targetSocket || to === participantId) {
          return ack({ ok: false, error: { code: 'not_found', message: 'That member is not in this circle\'s media session.' } });
        }
        targetSocket.emit('media:signal', { ...signal, from: participantId });
        ack({ ok: true });
      } catch (error) {
        logger.error({ err: error, circleId }, 'media signal failed');
        ack({ ok: false, error: { code: 'internal', message: 'Something went wrong on the server.' } });
      }
    });

    socket.on('clock:sync', (maybeAck: unknown) => {
      if (typeof maybeAck === 'function') (maybeAck as (serverTime: number) => void)(clock.now());
    });

    try {
      socket.emit('circle:welcome', { participantId, sessionToken, serverTime: clock.now() });
      await socket.join(circleId);
      const state = await service.state(circleId);
      // A newer snapshot may already have reached this socket through the room: never send an older one.
      if (state && socket.connected && state.version >= (lastBroadcast.get(circleId) ?? 0)) socket.emit('circle:state', state);
    } catch (error) {
      logger.error({ err: error, circleId }, 'could not send the first snapshot');
      socket.disconnect(true);
    }
  });

  return {
    state(state) {
      lastBroadcast.set(state.id, state.version);
      io.to(state.id).emit('circle:state', state);
    },
    disconnect(circleId: string, participantId: string, reason: RemovedReason) {
      const socket = registry.take(circleId, participantId);
      if (!socket) return;
      socket.emit('circle:removed', { reason });
      socket.disconnect(true);
    },
  };
}
