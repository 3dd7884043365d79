import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { LiveKitMediaProvider } from './livekit-media-provider.js';
import type { MediaProvider } from './media-provider.js';

/** The media server when one is configured (LiveKit); without one the server offers peer-to-peer video. */
export function createMediaProvider(config: Config, logger: Logger): MediaProvider | undefined {
  if (!config.livekit) return undefined;
  logger.info({ url: config.livekit.url }, 'video through LiveKit');
  return new LiveKitMediaProvider(config.livekit, logger);
}
