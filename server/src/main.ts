import fs from 'node:fs';
import { createSpiralApp } from './app.js';
import { systemClock } from './clock.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { createMediaProvider } from './media/create-media-provider.js';
import { MemoryCircleStore } from './store/memory-circle-store.js';
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

if (config.store === 'sqlite') fs.mkdirSync(config.dataDir, { recursive: true });
const store = config.store === 'sqlite' ? SqliteCircleStore.inDataDir(config.dataDir) : new MemoryCircleStore();
const app = createSpiralApp({ config, store, clock: systemClock, logger, media: createMediaProvider(config, logger) });

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
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
