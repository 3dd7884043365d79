import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderHook } from '@testing-library/react';
import { useCues } from './useCues';
import { circleWith, member } from '../test/fakeSocket';

describe('useCues', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(2_000_000);
  });
  afterEach(() => vi.useRealTimers());
  const clock = { now: () => Date.now() };

  it('chimes once when the shared timer ends, and gives the soft “finish up” cue 15 s before the speaker’s time is up (none at the end)', () => {
    const cues = { chime: vi.fn(), softCue: vi.fn(), pieceArrived: vi.fn(), unlock: vi.fn() };
    const state = circleWith([member('ann', 1)], {
      timer: { label: '', durationMs: 60_000, running: true, endsAt: 2_000_000 + 60_000, remainingMs: 60_000 },
      piece: { mode: 'round', holderId: 'ann', since: 2_000_000 - 100_000, queue: [] },
      settings: { speakerTimeMs: 120_000, facilitatorsMaySpeak: true, maxParticipants: 50 },
    });
    renderHook(() => useCues(state, clock, cues, true));
    vi.advanceTimersByTime(4_999);
    expect(cues.softCue).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(cues.softCue).toHaveBeenCalledOnce();
    vi.advanceTimersByTime(15_000); // the turn ends: only a visual mark
    expect(cues.softCue).toHaveBeenCalledOnce();
    vi.advanceTimersByTime(40_000);
    expect(cues.chime).toHaveBeenCalledOnce();
    vi.advanceTimersByTime(600_000);
    expect(cues.chime).toHaveBeenCalledOnce();
  });

  it('stays quiet with sounds off, and for a moment that had passed before it was seen', () => {
    const cues = { chime: vi.fn(), softCue: vi.fn(), pieceArrived: vi.fn(), unlock: vi.fn() };
    const running = circleWith([member('ann', 1)], {
      timer: { label: '', durationMs: 60_000, running: true, endsAt: 2_000_000 + 1_000, remainingMs: 60_000 },
    });
    const { rerender } = renderHook(({ on }) => useCues(running, clock, cues, on), { initialProps: { on: false } });
    vi.advanceTimersByTime(5_000);
    expect(cues.chime).not.toHaveBeenCalled();
    const late = circleWith([member('ann', 1)], { piece: { mode: 'round', holderId: 'ann', since: 0, queue: [] } });
    rerender({ on: true });
    renderHook(() => useCues(late, clock, cues, true));
    vi.advanceTimersByTime(5_000);
    expect(cues.softCue).not.toHaveBeenCalled();
  });

  it('follows a server-clock estimate that improves while waiting', () => {
    const cues = { chime: vi.fn(), softCue: vi.fn(), pieceArrived: vi.fn(), unlock: vi.fn() };
    let offset = 0; // first estimate: the device clock is right
    const skewed = { now: () => Date.now() + offset };
    const state = circleWith([member('ann', 1)], {
      timer: { label: '', durationMs: 60_000, running: true, endsAt: 2_000_000 + 60_000, remainingMs: 60_000 },
    });
    renderHook(() => useCues(state, skewed, cues, true));
    vi.advanceTimersByTime(10_000);
    offset = 30_000; // a better estimate: the server is 30 s ahead of this device
    vi.advanceTimersByTime(20_000);
    expect(cues.chime).toHaveBeenCalledOnce();
  });

  it('keeps the finish-up cue quiet during silence', () => {
    const cues = { chime: vi.fn(), softCue: vi.fn(), pieceArrived: vi.fn(), unlock: vi.fn() };
    const state = circleWith([member('ann', 1)], {
      piece: { mode: 'round', holderId: 'ann', since: 2_000_000 - 100_000, queue: [] },
      settings: { speakerTimeMs: 120_000, facilitatorsMaySpeak: true, maxParticipants: 50 },
      silence: { since: 2_000_000, endsAt: null },
    });
    renderHook(() => useCues(state, clock, cues, true));
    vi.advanceTimersByTime(30_000);
    expect(cues.softCue).not.toHaveBeenCalled();
  });
});
