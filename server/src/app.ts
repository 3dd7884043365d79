import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import { CircleService } from './circle-service.js';
import { Retention } from './retention.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { createHttpApp } from './http/http-app.js';
import type { Logger } from './logger.js';
import type { MediaProvider } from './media/media-provider.js';
import { MediaService } from './media/media-service.js';
import { P2pMediaProvider } from './media/p2p-media-provider.js';
import { PeerMediaSessions } from './media/peer-media-sessions.js';
import { commandRateLimit, createRateLimit, gestureRateLimit, joinRateLimit, signalRateLimit } from './rate-limits.js';
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
  const service = new CircleService({ store, clock, logger, media, holderGraceMs: config.holderGraceMs });
  const app = createHttpApp({
    service,
    logger,
    clock,
    publicOrigin: config.publicOrigin,
    createLimit: createRateLimit(config.createRatePerMinute),
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
  });
  const broadcaster = attachSocketHandlers({
    io,
    service,
    media: new MediaService({ circle: (circleId) => service.state(circleId), provider: media }),
    peers: p2p,
    clock,
    logger,
    originPolicy: { publicOrigin: config.publicOrigin, allowLocalhost: config.allowLocalhostOrigins },
    joinLimit: joinRateLimit(config.joinRatePerMinute),
    trustProxy: config.trustProxy,
    seatsPerAddress: config.seatsPerAddress,
    commandLimit: commandRateLimit,
    signalLimit: signalRateLimit,
    gestureLimit: gestureRateLimit,
  });
  service.setBroadcaster(broadcaster);
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
      await service.recover();
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
