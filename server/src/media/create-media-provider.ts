import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { LiveKitMediaProvider } from './livekit-media-provider.js';
import { type MediaProvider, NoMediaProvider } from './media-provider.js';

/** LiveKit when configured; otherwise no media (the circle still works without it). */
export function createMediaProvider(config: Config, logger: Logger): MediaProvider {
  if (!config.livekit) return new NoMediaProvider();
  logger.info({ url: config.livekit.url }, 'video through LiveKit');
  return new LiveKitMediaProvider(config.livekit, logger);
}
