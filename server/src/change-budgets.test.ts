import { describe, expect, it } from 'vitest';
import { changeBudgets } from './change-budgets.js';

const small = { perSecond: 3, burst: 5, burstSeconds: 10 };

describe('change budgets', () => {
  it('refuses an address past its budget, across circles, while another address goes on', async () => {
    const budgets = changeBudgets(small, { perSecond: 100, burst: 100, burstSeconds: 10 });
    const results = [];
    for (let i = 0; i < 8; i++) results.push(await budgets.spend('203.0.113.1', `circle-${i}`));
    // 3 a second plus a burst of 5 more: 8 changes pass at once, the 9th does not.
    expect(results.every((r) => r === null)).toBe(true);
    expect(await budgets.spend('203.0.113.1', 'circle-9')).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/your network/) });
    expect(await budgets.spend('203.0.113.2', 'circle-9')).toBeNull();
  });

  it('refuses a circle past its budget, whichever addresses its changes come from', async () => {
    const budgets = changeBudgets({ perSecond: 100, burst: 100, burstSeconds: 10 }, small);
    for (let i = 0; i < 8; i++) expect(await budgets.spend(`198.51.100.${i}`, 'busy')).toBeNull();
    expect(await budgets.spend('198.51.100.99', 'busy')).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/circle is changing/) });
    expect(await budgets.spend('198.51.100.99', 'calm')).toBeNull();
  });
});
