import {
  type ClientToServerEvents,
  type CommandAck,
  commandSchema,
  type RemovedReason,
  type ServerToClientEvents,
} from '@spiral/shared';
import type { Server, Socket } from 'socket.io';
import type { CircleBroadcaster, CircleService } from '../circle-service.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { RateLimit } from '../rate-limits.js';
import { ConnectionRegistry } from './connection-registry.js';
import { describeCommandProblem } from './describe-problem.js';
import { isOriginAllowed, type OriginPolicy } from './origin-policy.js';

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
  commandLimit: () => RateLimit;
}

const noAck = () => {};

/** Wire Socket.IO to the circle service: handshake → join, commands → the pipeline, snapshots out. */
export function attachSocketHandlers(deps: SocketDeps): CircleBroadcaster {
  const { io, service, clock, logger } = deps;
  const registry = new ConnectionRegistry<SpiralSocket>();

  io.use(async (socket, next) => {
    try {
      const address = socket.handshake.address || 'unknown';
      if (!(await deps.joinLimit.allow(address))) return next(new Error('rate_limited'));
      if (!isOriginAllowed(deps.originPolicy, socket.handshake.headers.origin)) return next(new Error('forbidden'));
      const result = await service.join(socket.handshake.auth);
      if (!result.ok) return next(new Error(result.code));
      socket.data = { circleId: result.circleId, participantId: result.participantId, sessionToken: result.sessionToken };
      const previous = registry.replace(result.circleId, result.participantId, socket);
      if (previous && previous !== socket) {
        previous.emit('circle:removed', { reason: 'replaced' });
        previous.disconnect(true);
      }
      logger.info({ circleId: result.circleId, participantId: result.participantId, resumed: result.resumed }, 'member joined');
      next();
    } catch (error) {
      logger.error({ err: error }, 'handshake failed');
      next(new Error('not_found'));
    }
  });

  io.on('connection', async (socket) => {
    const { circleId, participantId, sessionToken } = socket.data;
    const limit = deps.commandLimit();

    socket.on('disconnect', () => {
      if (!registry.release(circleId, participantId, socket)) return;
      service.leave(circleId, participantId).catch((error: unknown) => {
        logger.error({ err: error, circleId }, 'could not mark member away');
      });
      logger.info({ circleId, participantId }, 'member left');
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
        ack(command.type === 'media.join' ? await service.mediaJoin(circleId, participantId) : await service.command(circleId, participantId, command));
      } catch (error) {
        logger.error({ err: error, circleId }, 'command failed');
        ack({ ok: false, error: { code: 'internal', message: 'Something went wrong on the server; nothing was changed.' } });
      }
    });

    socket.on('clock:sync', (maybeAck: unknown) => {
      if (typeof maybeAck === 'function') (maybeAck as (serverTime: number) => void)(clock.now());
    });

    socket.emit('circle:welcome', { participantId, sessionToken, serverTime: clock.now() });
    await socket.join(circleId);
    const state = await service.state(circleId);
    if (state && socket.connected) socket.emit('circle:state', state);
  });

  return {
    state(state) {
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
