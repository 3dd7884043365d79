import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { CircleService } from './circle-service.js';
import { ProcessPresence } from './cluster/process-presence.js';
import { RedisWakeUps } from './cluster/redis-wake-ups.js';
import { Retention } from './retention.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { createHttpApp } from './http/http-app.js';
import type { Logger } from './logger.js';
import type { MediaProvider } from './media/media-provider.js';
import { MediaService } from './media/media-service.js';
import { P2pMediaProvider } from './media/p2p-media-provider.js';
import { PeerMediaSessions } from './media/peer-media-sessions.js';
import {
  commandRateLimit,
  createRateLimit,
  gestureRateLimit,
  handshakeRateLimit,
  joinRateLimit,
  memoryLimiters,
  redisLimiters,
  signalRateLimit,
} from './rate-limits.js';
import { attachSocketHandlers, type SpiralServer } from './socket/socket-handlers.js';
import type { CircleStore } from './store/circle-store.js';

/**
 * Socket.IO's largest accepted message. Most commands are tiny, but the largest valid `plan.set`
 * (40 steps with 120-character titles and 500-character prompts, 3 UTF-8 bytes a character) is
 * about 83 KB.
 */
export const MAX_SOCKET_MESSAGE_BYTES = 128 * 1024;

/**
 * Engine.IO heartbeat: the server pings every 5 s and closes a connection whose pong has not come
 * 8 s later, so a frozen client (a suspended laptop, a dead network) is marked away within 13 s.
 */
export const PING_INTERVAL_MS = 5_000;
export const PING_TIMEOUT_MS = 8_000;

export interface SpiralDeps {
  config: Config;
  store: CircleStore;
  clock: Clock;
  logger: Logger;
  /** A media server (LiveKit); without one, members' browsers connect peer to peer. */
  media?: MediaProvider;
  /**
   * Several processes sharing one Redis (STORE=redis): Socket.IO's Redis Streams adapter, wake-ups
   * claimed once across processes, limits per address shared, and the processes' presence. The
   * caller owns the client (and closes it after `close()`).
   */
  redis?: RedisDeps;
}

export interface RedisDeps {
  client: Redis;
  /** Prefix of every Spiral key (`REDIS_PREFIX`). */
  prefix: string;
  /** A process silent this long is taken for dead and its members marked away (default 10 s). */
  processTtlMs?: number;
}

export interface SpiralApp {
  httpServer: http.Server;
  io: SpiralServer;
  service: CircleService;
  /** Listen on `config.port` (0 picks a free port); resolves to the actual port. */
  listen(): Promise<number>;
  close(): Promise<void>;
}

export const DEFAULT_CLIENT_DIST = fileURLToPath(new URL('../../client/dist', import.meta.url));

/** The composition root: everything the server is, built from the dependencies it is given. */
export function createSpiralApp(deps: SpiralDeps): SpiralApp {
  const { config, store, clock, logger } = deps;
  // Always there, so a signal outside any session is refused alike with or without a media server.
  const p2p = new P2pMediaProvider({ sessions: new PeerMediaSessions(config.p2pMaxPeers), iceServers: config.iceServers });
  const media = deps.media ?? p2p;
  const redis = deps.redis;
  const limiters = redis ? redisLimiters(redis.client, redis.prefix) : memoryLimiters;
  const service = new CircleService({
    store,
    clock,
    logger,
    media,
    holderGraceMs: config.holderGraceMs,
    // With Redis, other processes write the same circles: every change reads the store.
    soleWriter: !redis,
    ...(redis ? { wakeUps: (fire) => new RedisWakeUps({ redis: redis.client, prefix: redis.prefix, clock, logger }, fire) } : {}),
  });
  const app = createHttpApp({
    service,
    logger,
    clock,
    publicOrigin: config.publicOrigin,
    createLimit: createRateLimit(config.createRatePerMinute, limiters),
    clientDist: config.clientDist ?? DEFAULT_CLIENT_DIST,
    connectSources: config.livekit ? livekitOrigins(config.livekit.url) : [],
    trustProxy: config.trustProxy,
  });
  const httpServer = http.createServer(app);
  const io: SpiralServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES,
    pingInterval: PING_INTERVAL_MS,
    pingTimeout: PING_TIMEOUT_MS,
    serveClient: false,
    connectionStateRecovery: undefined,
    ...(redis ? { adapter: createAdapter(redis.client, { streamName: `${redis.prefix}socket.io`, channelPrefix: `${redis.prefix}socket.io`, onlyPlaintext: true }) } : {}),
  });
  const presence = redis
    ? new ProcessPresence({
        redis: redis.client,
        prefix: redis.prefix,
        logger,
        ...(redis.processTtlMs === undefined ? {} : { ttlMs: redis.processTtlMs }),
        leave: (circleId, participantId, connectionId) => service.leave(circleId, participantId, () => true, connectionId),
        // Taken for dead: its members were marked away; its connections reconnect and are seated again.
        onDeclaredDead: () => io.local.disconnectSockets(true),
      })
    : undefined;
  const broadcaster = attachSocketHandlers({
    io,
    service,
    media: new MediaService({ circle: (circleId) => service.state(circleId), provider: media }),
    peers: p2p,
    clock,
    logger,
    originPolicy: { publicOrigin: config.publicOrigin, allowLocalhost: config.allowLocalhostOrigins },
    joinLimit: joinRateLimit(config.joinRatePerMinute, limiters),
    handshakeLimit: handshakeRateLimit(undefined, limiters),
    ...(presence ? { seats: presence } : {}),
    trustProxy: config.trustProxy,
    seatsPerAddress: config.seatsPerAddress,
    commandLimit: commandRateLimit,
    signalLimit: signalRateLimit,
    gestureLimit: gestureRateLimit,
  });
  service.setBroadcaster(broadcaster);
  if (redis) resendAfterReconnect(redis.client, io, service, logger);
  const retention = new Retention({
    clock,
    logger,
    ttlDays: config.circleTtlDays,
    listIds: () => store.listIds(),
    discardIf: (circleId, expired) => service.discardIf(circleId, expired),
  });

  return {
    httpServer,
    io,
    service,
    async listen() {
      // Alone: nobody is connected after a start-up. In a running cluster the others hold connections.
      if (presence) await presence.start(() => service.recover());
      else await service.recover();
      // Retention: circles past their end (or idle too long) go now, then every hour.
      await retention.start();
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          httpServer.off('error', reject);
          resolve();
        });
      });
      return (httpServer.address() as AddressInfo).port;
    },
    async close() {
      retention.stop();
      broadcaster.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      // Departures started by closing the sockets are saved before the store closes.
      await service.close();
      await presence?.stop();
      await store.close();
    },
  };
}

/** The LiveKit server as the page reaches it: its WebSocket and its HTTP(S) forms. */
export function livekitOrigins(url: string): string[] {
  const { protocol, host } = new URL(url);
  const secure = protocol === 'wss:' || protocol === 'https:';
  return [`${secure ? 'wss' : 'ws'}://${host}`, `${secure ? 'https' : 'http'}://${host}`];
}

/**
 * After Redis comes back from an outage, snapshots broadcast by other processes meanwhile may be
 * missing here: every circle with connections on this process gets its current snapshot again
 * (clients keep only newer versions, so a repeat is harmless).
 */
function resendAfterReconnect(client: Redis, io: SpiralServer, service: CircleService, logger: Logger): void {
  let connectedOnce = client.status === 'ready';
  client.on('ready', () => {
    if (!connectedOnce) {
      connectedOnce = true;
      return;
    }
    void (async () => {
      const circleIds = new Set((await io.local.fetchSockets()).map((socket) => socket.data.circleId));
      for (const circleId of circleIds) {
        const state = await service.state(circleId);
        if (state) io.local.to(circleId).emit('circle:state', state);
      }
      logger.info({ circles: circleIds.size }, 'Redis is back: snapshots sent again');
    })().catch((error: unknown) => logger.warn({ err: error }, 'could not resend snapshots after a Redis outage'));
  });
}
