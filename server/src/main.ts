import fs from 'node:fs';
import { Redis } from 'ioredis';
import { createSpiralApp, type RedisDeps } from './app.js';
import { systemClock } from './clock.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { createMediaProvider } from './media/create-media-provider.js';
import type { CircleStore } from './store/circle-store.js';
import { MemoryCircleStore } from './store/memory-circle-store.js';
import { RedisCircleStore } from './store/redis-circle-store.js';
import { SqliteCircleStore } from './store/sqlite-circle-store.js';

const loaded = loadConfig(process.env);
if (!loaded.ok) {
  process.stderr.write(`${loaded.message}\n`);
  process.exit(1);
}
const { config } = loaded;
const logger = createLogger(config.logLevel);
// A failure that escaped its handler is logged, never allowed to take every circle down with it.
process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));

/**
 * STORE=redis: one client for the store, wake-ups, limits and presence (Socket.IO's adapter makes its
 * own copies). During an outage commands wait for Redis rather than fail (`maxRetriesPerRequest: null`).
 */
async function connectRedis(url: string): Promise<Redis> {
  const client = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
  client.on('error', (error: Error) => logger.warn({ err: { message: error.message } }, 'Redis connection problem'));
  await client.connect();
  return client;
}

let redis: RedisDeps | undefined;
let store: CircleStore;
if (config.store === 'redis' && config.redis) {
  const client = await connectRedis(config.redis.url).catch((error: unknown) => {
    logger.fatal({ err: error }, 'could not reach Redis (REDIS_URL)');
    process.exit(1);
  });
  redis = { client, prefix: config.redis.prefix, processTtlMs: config.redis.processTtlMs };
  store = new RedisCircleStore(client, config.redis.prefix);
} else if (config.store === 'sqlite') {
  fs.mkdirSync(config.dataDir, { recursive: true });
  store = SqliteCircleStore.inDataDir(config.dataDir);
} else {
  store = new MemoryCircleStore();
}
const app = createSpiralApp({ config, store, clock: systemClock, logger, media: createMediaProvider(config, logger), ...(redis ? { redis } : {}) });

try {
  const port = await app.listen();
  logger.info(
    { port, publicOrigin: config.publicOrigin, store: config.store, dataDir: config.store === 'sqlite' ? config.dataDir : undefined },
    `Spiral is listening on port ${port}: open ${config.publicOrigin}`,
  );
} catch (error) {
  logger.fatal({ err: error }, 'could not start');
  process.exit(1);
}

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(0), 5_000);
  force.unref();
  app.close().then(
    async () => {
      await redis?.client.quit().catch(() => undefined);
      process.exit(0);
    },
    () => process.exit(1),
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
