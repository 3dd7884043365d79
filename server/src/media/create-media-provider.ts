import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { type MediaProvider, NoMediaProvider } from './media-provider.js';

/** LiveKit when configured; otherwise no media (the circle still works). */
export function createMediaProvider(config: Config, logger: Logger): MediaProvider {
  if (config.livekit) {
    logger.warn('LIVEKIT_* is set, but this build has no LiveKit adapter yet; video stays off');
  }
  return new NoMediaProvider();
}
