import { CLIENT_REFUSALS } from '@spiral/shared';
import type { SendResult } from './useCircleConnection';

/**
 * The words for a command that did not go through: the server's own message, which names the
 * situation (from the refusal catalogue in @spiral/shared), or the catalogue's for a refusal made here.
 */
export function rejectionText(result: Extract<SendResult, { ok: false }>): string {
  const { code, message } = result.error;
  if (message.trim() !== '') return message;
  return (code === 'timeout' || code === 'offline' ? CLIENT_REFUSALS[code] : CLIENT_REFUSALS.unexplained).message;
}
