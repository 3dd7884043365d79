import { type Refusal, TRANSPORT_REFUSALS } from '@spiral/shared';
import { BurstyRateLimiter, RateLimiterMemory } from 'rate-limiter-flexible';

/**
 * Changes a second one client address may send to all circles together: a venue's wifi carrying
 * five café circles (a change a second each, bursts of a few dozen when everyone moves at once)
 * stays below; 98 bots each within their own connection's limit (10 a second) do not. The burst is
 * small on purpose: every accepted change is a snapshot to a whole circle.
 */
export const ADDRESS_CHANGES: Budget = { perSecond: 20, burst: 40, burstSeconds: 10 };
/** Changes a second one circle may take from all its members: 30 hands raised at once fit. */
export const CIRCLE_CHANGES: Budget = { perSecond: 40, burst: 60, burstSeconds: 10 };

/** A sustained rate and a burst on top of it. */
export interface Budget {
  perSecond: number;
  burst: number;
  burstSeconds: number;
}

export interface ChangeBudgets {
  /** Spend one change for `address` and `circleId`; the refusal when either budget is spent. */
  spend(address: string, circleId: string): Promise<Refusal<'rate_limited'> | null>;
}

function budget(keyPrefix: string, limits: Budget) {
  return new BurstyRateLimiter(
    new RateLimiterMemory({ keyPrefix, points: limits.perSecond, duration: 1 }),
    new RateLimiterMemory({ keyPrefix: `${keyPrefix}-burst`, points: limits.burst, duration: limits.burstSeconds }),
  );
}

async function spent(limiter: BurstyRateLimiter, key: string): Promise<boolean> {
  try {
    await limiter.consume(key);
    return false;
  } catch (rejection) {
    if (rejection instanceof Error) throw rejection;
    return true;
  }
}

/**
 * Budgets for changes per client address and per circle, beside each connection's own limit, so
 * one address within every per-connection limit cannot take the server's time from other circles.
 * Kept in this process's memory even with Redis: a budget check on every command would cost two
 * Redis round trips, and a flood spread over N processes gets at most N budgets.
 */
export function changeBudgets(address = ADDRESS_CHANGES, circle = CIRCLE_CHANGES): ChangeBudgets {
  const byAddress = budget('changes-address', address);
  const byCircle = budget('changes-circle', circle);
  return {
    async spend(clientAddress, circleId) {
      if (await spent(byAddress, clientAddress)) return TRANSPORT_REFUSALS.addressBusy;
      if (await spent(byCircle, circleId)) return TRANSPORT_REFUSALS.circleBusy;
      return null;
    },
  };
}
