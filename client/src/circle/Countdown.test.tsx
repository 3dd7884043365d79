import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, render, screen } from '@testing-library/react';
import type { TimerState } from '@spiral/shared';
import { Countdown } from './Countdown';

const OFFSET = 7_000; // the server's clock runs 7 s ahead of this one

describe('Countdown', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame', 'performance'] });
    vi.setSystemTime(1_700_000_000_000);
  });
  afterEach(() => vi.useRealTimers());

  const clock = { now: () => Date.now() + OFFSET };

  it('derives the remaining time from endsAt and the server clock on every frame', () => {
    const serverNow = Date.now() + OFFSET;
    const timer: TimerState = { label: '', durationMs: 120_000, running: true, endsAt: serverNow + 65_000, remainingMs: 120_000 };
    render(<Countdown timer={timer} clock={clock} />);
    const el = screen.getByRole('timer');
    expect(el.textContent).toBe('1:05');
    act(() => vi.advanceTimersByTime(10_000));
    expect(el.textContent).toBe('0:55');
    expect(Number(el.dataset.remainingMs)).toBeGreaterThan(54_900);
    expect(Number(el.dataset.remainingMs)).toBeLessThanOrEqual(55_000);
    act(() => vi.advanceTimersByTime(60_000));
    expect(el.textContent).toBe('0:00');
    expect(el.dataset.remainingMs).toBe('0');
  });

  it('does not count ticks: a jump in the clock shows at once', () => {
    const serverNow = Date.now() + OFFSET;
    const timer: TimerState = { label: '', durationMs: 600_000, running: true, endsAt: serverNow + 600_000, remainingMs: 600_000 };
    render(<Countdown timer={timer} clock={clock} />);
    const el = screen.getByRole('timer');
    // The page was asleep: time moved on by 4 minutes with no frames in between.
    vi.setSystemTime(Date.now() + 240_000);
    act(() => vi.advanceTimersToNextFrame());
    expect(el.textContent).toBe('6:00');
  });

  it('shows a paused timer’s remainder, still, and labels its state', () => {
    const timer: TimerState = { label: 'Truth mandala', durationMs: 300_000, running: false, endsAt: null, remainingMs: 91_500 };
    render(<Countdown timer={timer} clock={clock} />);
    const el = screen.getByRole('timer', { name: 'Truth mandala' });
    expect(el.textContent).toBe('1:32');
    act(() => vi.advanceTimersByTime(5_000));
    expect(el.textContent).toBe('1:32');
    expect(screen.getByText('paused')).toBeTruthy();
  });

  it('says when the time is up', () => {
    render(<Countdown timer={{ label: '', durationMs: 60_000, running: false, endsAt: null, remainingMs: 0 }} clock={clock} />);
    expect(screen.getByRole('timer').textContent).toBe('0:00');
    expect(screen.getByText("time's up")).toBeTruthy();
  });
});
