import { TRANSPORT_REFUSALS } from '@spiral/shared';
import { refused } from '../acks.js';

export type InternalRefusal = ReturnType<typeof refused<'internal'>>;

/**
 * A client event answered through its ack. The ack may be missing or not a function (then the
 * handler still runs, and nobody hears the answer); a handler that throws is reported to `onError`
 * and answered `internal`. An event sent with only an ack (Socket.IO then passes the ack as the first
 * argument) is handled as a missing payload — so it is answered `invalid`, never left unanswered.
 */
export function withAck<A>(
  handler: (payload: unknown) => Promise<A>,
  onError: (error: unknown) => void,
): (payload: unknown, maybeAck?: unknown) => Promise<void> {
  return async (...args: unknown[]) => {
    // Socket.IO passes the ack last, whatever came before it.
    const last = args[args.length - 1];
    const maybeAck = typeof last === 'function' ? last : args[1];
    const payload = typeof last === 'function' && args.length === 1 ? undefined : args[0];
    let result: A | InternalRefusal;
    try {
      result = await handler(payload);
    } catch (error) {
      onError(error);
      result = refused(TRANSPORT_REFUSALS.internal);
    }
    if (typeof maybeAck === 'function') (maybeAck as (result: A | InternalRefusal) => void)(result);
  };
}
