import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, render, renderHook, screen } from '@testing-library/react';
import type { Bell } from '@spiral/shared';
import { BELL_LATE_LIMIT_MS, planBell } from './bell';
import { useBell } from './useBell';
import { BellCue } from './BellCue';
import type { Cues } from '../circle/sound';

const LOCAL = 2_000_000;
/** The server runs 30 s ahead of this device. */
const OFFSET = 30_000;
const clock = { now: () => Date.now() + OFFSET };
const server = () => LOCAL + OFFSET;

function fakeCues() {
  const bell = vi.fn<(strikes: number, delayMs: number) => void>();
  const cues: Cues = { chime: vi.fn(), softCue: vi.fn(), pieceArrived: vi.fn(), unlock: vi.fn(), bell };
  return Object.assign(cues, { bell });
}

describe('planBell', () => {
  it('strikes at `at` on the server clock, at once when a little late, never when more than 2 s late', () => {
    const bell: Bell = { id: 1, strikes: 1, at: 10_000 };
    expect(planBell(bell, 9_700)).toEqual({ delayMs: 300 });
    expect(planBell(bell, 11_500)).toEqual({ delayMs: 0 });
    expect(planBell(bell, 10_000 + BELL_LATE_LIMIT_MS)).toEqual({ delayMs: 0 });
    expect(planBell(bell, 10_000 + BELL_LATE_LIMIT_MS + 1)).toBeNull();
  });
});

describe('useBell and its cue', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(LOCAL);
  });
  afterEach(() => vi.useRealTimers());

  function Harness({ bell, cues, soundOn }: { bell: Bell | null; cues: Cues; soundOn: boolean }) {
    return <BellCue cue={useBell(bell, clock, cues, soundOn)} />;
  }

  it('schedules the strikes at `at` on the server-clock estimate (not the device clock), then shows the ripple and says "Bell"', () => {
    const cues = fakeCues();
    const bell: Bell = { id: 4, strikes: 3, at: server() + 300 };
    render(<Harness bell={bell} cues={cues} soundOn />);
    expect(cues.bell).toHaveBeenCalledExactlyOnceWith(3, 300);
    const cue = screen.getByTestId('bell-cue');
    expect(cue.dataset.bellId).toBe('4');
    expect(cue.dataset.bellScheduledAt).toBe(String(LOCAL + 300));
    expect(cue.dataset.bellSounded).toBe('true');
    expect(cue.hasAttribute('data-ringing')).toBe(false);
    act(() => vi.advanceTimersByTime(300));
    expect(cue.hasAttribute('data-ringing')).toBe(true);
    expect(cue.querySelectorAll('.bell-cue__ripple')).toHaveLength(3);
    expect(cue.querySelector('[aria-live]')?.textContent).toBe('Bell, 3 strikes');
    act(() => vi.advanceTimersByTime(2 * 1_200 + 3_000));
    expect(cue.hasAttribute('data-ringing')).toBe(false);
  });

  it('strikes a bell once, however many snapshots carry it; a newer bell strikes again', () => {
    const cues = fakeCues();
    const bell: Bell = { id: 1, strikes: 1, at: server() + 300 };
    const { rerender } = render(<Harness bell={bell} cues={cues} soundOn />);
    rerender(<Harness bell={{ ...bell }} cues={cues} soundOn />);
    act(() => vi.advanceTimersByTime(5_000));
    rerender(<Harness bell={{ ...bell }} cues={cues} soundOn />);
    expect(cues.bell).toHaveBeenCalledOnce();
    rerender(<Harness bell={{ id: 2, strikes: 2, at: clock.now() + 300 }} cues={cues} soundOn />);
    expect(cues.bell).toHaveBeenCalledTimes(2);
    expect(cues.bell).toHaveBeenLastCalledWith(2, 300);
  });

  it('does not sound, nor show, a bell received more than 2 s after `at` (a reload)', () => {
    const cues = fakeCues();
    const { result } = renderHook(() => useBell({ id: 9, strikes: 1, at: server() - 2_500 }, clock, cues, true));
    act(() => vi.advanceTimersByTime(5_000));
    expect(cues.bell).not.toHaveBeenCalled();
    expect(result.current).toBeNull();
  });

  it('sounds a bell that is a little late at once', () => {
    const cues = fakeCues();
    renderHook(() => useBell({ id: 9, strikes: 1, at: server() - 1_500 }, clock, cues, true));
    expect(cues.bell).toHaveBeenCalledExactlyOnceWith(1, 0);
  });

  it('with "Sounds off", shows the cue without the sound', () => {
    const cues = fakeCues();
    render(<Harness bell={{ id: 1, strikes: 1, at: server() + 300 }} cues={cues} soundOn={false} />);
    act(() => vi.advanceTimersByTime(300));
    expect(cues.bell).not.toHaveBeenCalled();
    const cue = screen.getByTestId('bell-cue');
    expect(cue.dataset.bellSounded).toBe('false');
    expect(cue.hasAttribute('data-ringing')).toBe(true);
    expect(cue.querySelector('[aria-live]')?.textContent).toBe('Bell');
  });
});
