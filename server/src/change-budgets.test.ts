import { describe, expect, it } from 'vitest';
import { changeBudgets } from './change-budgets.js';

const small = { perSecond: 3, burst: 5, burstSeconds: 10 };
const roomy = { perSecond: 100, burst: 100, burstSeconds: 10 };
const member = async () => false;
const facilitator = async () => true;

describe('change budgets', () => {
  it('refuses an address once its changes spend the budget, across circles, while another address goes on', async () => {
    const budgets = changeBudgets(small, roomy);
    // 3 a second plus a burst of 5: 8 changes, then the address is refused.
    for (let i = 0; i < 8; i++) {
      expect(await budgets.refusal('203.0.113.1', `circle-${i}`, member)).toBeNull();
      budgets.charge('203.0.113.1', `circle-${i}`);
    }
    await new Promise((r) => setTimeout(r, 10));
    expect(await budgets.refusal('203.0.113.1', 'circle-9', member)).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/your network/) });
    expect(await budgets.refusal('203.0.113.1', 'circle-9', facilitator)).toMatchObject({ code: 'rate_limited' });
    expect(await budgets.refusal('203.0.113.2', 'circle-9', member)).toBeNull();
  });

  it('charges only changes: checking alone never spends a budget', async () => {
    const budgets = changeBudgets(small, small);
    for (let i = 0; i < 50; i++) expect(await budgets.refusal('203.0.113.3', 'quiet', member)).toBeNull();
  });

  it('refuses a circle\'s members once its changes spend its budget, whatever their addresses, but never its facilitators', async () => {
    const budgets = changeBudgets(roomy, small);
    for (let i = 0; i < 8; i++) budgets.charge(`198.51.100.${i}`, 'busy');
    await new Promise((r) => setTimeout(r, 10));
    expect(await budgets.refusal('198.51.100.99', 'busy', member)).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/circle is changing/) });
    expect(await budgets.refusal('198.51.100.99', 'busy', facilitator)).toBeNull();
    expect(await budgets.refusal('198.51.100.99', 'calm', member)).toBeNull();
  });
});
