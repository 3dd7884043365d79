import type { CommandErrorCode, Refusal } from '@spiral/shared';

/** A refused ack (`{ ok: false, error: { code, message } }`) carrying a refusal from the catalogue. */
export function refused<C extends CommandErrorCode>(refusal: Refusal<C>): { ok: false; error: { code: C; message: string } } {
  return { ok: false, error: { code: refusal.code, message: refusal.message } };
}
