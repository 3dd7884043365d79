import { type Refusal, TRANSPORT_REFUSALS } from '@spiral/shared';
import { BurstyRateLimiter, RateLimiterMemory } from 'rate-limiter-flexible';

/** A sustained rate and a burst on top of it. */
export interface Budget {
  perSecond: number;
  burst: number;
  burstSeconds: number;
}

/**
 * Changes a second one client address may make to all circles together: a venue's wifi carrying
 * a Conversation Café day (a dozen circles, a change a second each, bursts when everyone moves at
 * once) stays below; 98 bots each within their own connection's limit (10 a second) do not.
 */
export const ADDRESS_CHANGES: Budget = { perSecond: 30, burst: 60, burstSeconds: 10 };
/** Changes a second one circle may take from its members (facilitators are never held back by it). */
export const CIRCLE_CHANGES: Budget = { perSecond: 30, burst: 60, burstSeconds: 10 };

/**
 * Budgets for changes per client address and per circle, beside each connection's own limit, so
 * one address within every per-connection limit cannot take the server's time from other circles.
 * Only changes are charged (a refused or idle command costs a budget nothing); a command is
 * refused while a budget is spent. Kept in this process's memory even with Redis: a check through
 * Redis would cost round trips on every command, and a flood spread over N processes gets at most
 * N budgets.
 */
export interface ChangeBudgets {
  /**
   * Before a member's command: the refusal when their address's budget is spent, or their
   * circle's — unless `isFacilitator()` (asked only then): a facilitator can always act.
   */
  refusal(address: string, circleId: string, isFacilitator: () => Promise<boolean>): Promise<Refusal<'rate_limited'> | null>;
  /** A change was saved: charge it to the address and the circle. */
  charge(address: string, circleId: string): void;
}

class BudgetLimiter {
  private readonly sustained: RateLimiterMemory;
  private readonly extra: RateLimiterMemory;
  private readonly both: BurstyRateLimiter;

  constructor(
    keyPrefix: string,
    private readonly budget: Budget,
  ) {
    this.sustained = new RateLimiterMemory({ keyPrefix, points: budget.perSecond, duration: 1 });
    this.extra = new RateLimiterMemory({ keyPrefix: `${keyPrefix}-burst`, points: budget.burst, duration: budget.burstSeconds });
    this.both = new BurstyRateLimiter(this.sustained, this.extra);
  }

  async spent(key: string): Promise<boolean> {
    const [sustained, extra] = await Promise.all([this.sustained.get(key), this.extra.get(key)]);
    return (sustained?.consumedPoints ?? 0) >= this.budget.perSecond && (extra?.consumedPoints ?? 0) >= this.budget.burst;
  }

  charge(key: string): void {
    // Past the budget, the charge is refused, which is fine: the next check sees it spent.
    this.both.consume(key).catch(() => {});
  }
}

export function changeBudgets(address = ADDRESS_CHANGES, circle = CIRCLE_CHANGES): ChangeBudgets {
  const byAddress = new BudgetLimiter('changes-address', address);
  const byCircle = new BudgetLimiter('changes-circle', circle);
  return {
    async refusal(clientAddress, circleId, isFacilitator) {
      if (await byAddress.spent(clientAddress)) return TRANSPORT_REFUSALS.addressBusy;
      if ((await byCircle.spent(circleId)) && !(await isFacilitator())) return TRANSPORT_REFUSALS.circleBusy;
      return null;
    },
    charge(clientAddress, circleId) {
      byAddress.charge(clientAddress);
      byCircle.charge(circleId);
    },
  };
}
