import { TRANSPORT_REFUSALS } from '@spiral/shared';
import { refused } from '../acks.js';

export type InternalRefusal = ReturnType<typeof refused<'internal'>>;

/**
 * A client event answered through its ack. The ack may be missing or not a function (then the
 * handler still runs, and nobody hears the answer); a handler that throws is reported to `onError`
 * and answered `internal`.
 */
export function withAck<A>(
  handler: (payload: unknown) => Promise<A>,
  onError: (error: unknown) => void,
): (payload: unknown, maybeAck?: unknown) => Promise<void> {
  return async (payload, maybeAck) => {
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
