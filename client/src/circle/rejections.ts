import type { SendResult } from './useCircleConnection';

/** A gentle sentence for a command the server did not accept. */
export function rejectionText(result: Extract<SendResult, { ok: false }>): string {
  const { code, message } = result.error;
  switch (code) {
    case 'conflict':
      return `That did not go through — the circle had just changed. ${message}`;
    case 'forbidden':
      return 'Only a facilitator can do that.';
    case 'not_found':
      return 'That person is no longer in the circle.';
    case 'rate_limited':
      return 'A lot at once — please wait a moment and try again.';
    case 'invalid':
      return `That was not quite right: ${message}`;
    case 'media_unavailable':
      return 'Audio and video are not available just now.';
    default:
      return message; // timeout, offline, or a code added to the protocol later
  }
}
