/** Error codes carried by command acks (`{ ok: false, error: { code, message } }`). */
export const COMMAND_ERROR_CODES = [
  'invalid',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
  'media_unavailable',
  // Extension: the server failed unexpectedly; nothing was changed.
  'internal',
] as const;
export type CommandErrorCode = (typeof COMMAND_ERROR_CODES)[number];

/** Messages of a refused handshake (`connect_error`), in the order the server checks them. */
export const JOIN_ERROR_CODES = [
  'rate_limited',
  'forbidden',
  'not_found',
  'invalid',
  'bad_key',
  'removed',
  // Extension (gatherings): a scheduled circle not yet open to newcomers (before `startsAt` − 15 min).
  'not_open',
  'locked',
  'full',
] as const;
export type JoinErrorCode = (typeof JOIN_ERROR_CODES)[number];

/** Error codes of HTTP error bodies. */
export type HttpErrorCode =
  | 'invalid'
  | 'not_found'
  | 'rate_limited'
  | 'internal'
  // Extension (gatherings): `PATCH`/`DELETE` without a facilitator key (401) or with a wrong one (403).
  | 'unauthorized'
  | 'forbidden';

export interface ErrorBody<C extends string = string> {
  code: C;
  message: string;
}

export interface Rejection {
  code: Exclude<CommandErrorCode, 'rate_limited' | 'media_unavailable' | 'internal'>;
  message: string;
}

export function isJoinErrorCode(value: string): value is JoinErrorCode {
  return (JOIN_ERROR_CODES as readonly string[]).includes(value);
}
