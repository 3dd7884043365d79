import { afterEach, describe, expect, it, vi } from 'vitest';
import { commandRateLimit } from './rate-limits.js';

afterEach(() => vi.useRealTimers());

async function allowed(limit: ReturnType<typeof commandRateLimit>, n: number): Promise<number> {
  let count = 0;
  for (let i = 0; i < n; i++) if (await limit.allow('socket')) count += 1;
  return count;
}

describe('command rate limit (token bucket: 30 burst, 10/s)', () => {
  it('never limits a burst of 30 followed by 10 a second', async () => {
    vi.useFakeTimers({ now: 0, toFake: ['Date', 'performance'] });
    const limit = commandRateLimit();
    expect(await allowed(limit, 30)).toBe(30);
    for (let second = 0; second < 20; second++) {
      for (let i = 0; i < 10; i++) {
        vi.advanceTimersByTime(100);
        expect(await limit.allow('socket')).toBe(true);
      }
    }
  });

  it('refills: bursts of 30 every 3 s all pass', async () => {
    vi.useFakeTimers({ now: 0, toFake: ['Date', 'performance'] });
    const limit = commandRateLimit();
    for (let burst = 0; burst < 3; burst++) {
      expect(await allowed(limit, 30)).toBe(30);
      vi.advanceTimersByTime(3_000);
    }
  });

  it('limits 300 at once to the burst', async () => {
    vi.useFakeTimers({ now: 0, toFake: ['Date', 'performance'] });
    expect(await allowed(commandRateLimit(), 300)).toBe(30);
  });
});
