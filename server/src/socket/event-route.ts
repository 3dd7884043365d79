import type { Refusal } from '@spiral/shared';
import type { ZodType } from 'zod';
import { refused } from '../acks.js';
import type { RateLimit } from '../rate-limits.js';

export type SchemaIssues = readonly { path: PropertyKey[]; message: string }[];

/** A client event as data: its rate limit, its schema, and what a valid payload does. */
export interface EventRoute<T, A> {
  /** This connection's limit, and the refusal once it is spent. */
  limit: RateLimit;
  limited: Refusal<'rate_limited'>;
  /** Budgets shared with other connections (per address, per circle): checked after `limit`, before the schema. */
  budget?: (payload: unknown) => Promise<Refusal<'rate_limited'> | null>;
  schema: ZodType<T>;
  /** The refusal of a payload the schema does not accept. */
  invalid(payload: unknown, issues: SchemaIssues): Refusal<'invalid'>;
  run(input: T): Promise<A>;
}

export type RouteRefusal = ReturnType<typeof refused<'rate_limited' | 'invalid'>>;

/**
 * The checks every client event gets, in PROTOCOL.md's order: `rate_limited` (this connection's
 * limit, then the shared budgets — the cheapest refusals first), then `invalid`, then the handler.
 */
export function route<T, A>(connectionId: string, spec: EventRoute<T, A>): (payload: unknown) => Promise<A | RouteRefusal> {
  return async (payload) => {
    if (!(await spec.limit.allow(connectionId))) return refused(spec.limited);
    const overBudget = await spec.budget?.(payload);
    if (overBudget) return refused(overBudget);
    const parsed = spec.schema.safeParse(payload);
    if (!parsed.success) return refused(spec.invalid(payload, parsed.error.issues));
    return spec.run(parsed.data);
  };
}
