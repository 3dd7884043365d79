import { pino, type Logger } from 'pino';

/** Paths that could carry a secret; pino replaces them before a line is written. */
export const REDACTED_PATHS = [
  'facilitatorKey',
  'sessionToken',
  'token',
  'auth',
  '*.facilitatorKey',
  '*.sessionToken',
  '*.token',
  '*.auth',
  'req.headers.authorization',
  'req.headers.cookie',
  'apiSecret',
  '*.apiSecret',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'spiral' } };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
