import FakeTimers from '@sinonjs/fake-timers';
import type { Clock } from '../clock.js';

export interface FakeClock extends Clock {
  /** Move time forward, running every wake-up that falls due (and awaiting what they start). */
  advance(ms: number): Promise<void>;
  /** How many wake-ups are pending (set and neither run nor cancelled). */
  pending(): number;
}

/** A controllable clock for tests: no sleeping on real time. */
export function createFakeClock(start = Date.UTC(2026, 10, 24, 10, 0, 0)): FakeClock {
  const timers = FakeTimers.createClock(start);
  return {
    now: () => timers.now,
    setTimeout(callback, delayMs) {
      const id = timers.setTimeout(callback, Math.max(0, delayMs));
      return { cancel: () => timers.clearTimeout(id) };
    },
    async advance(ms) {
      await timers.tickAsync(ms);
    },
    pending: () => timers.countTimers(),
  };
}
