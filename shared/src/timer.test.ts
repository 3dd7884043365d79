import { describe, expect, it } from 'vitest';
import type { TimerState } from './state.js';
import { IDLE_TIMER, formatDuration, timerCommandRefusal, timerFinished, timerRemainingAt, timerStatus } from './timer.js';

const running: TimerState = { label: '', durationMs: 60_000, running: true, endsAt: 100_000, remainingMs: 60_000 };
const paused: TimerState = { label: '', durationMs: 60_000, running: false, endsAt: null, remainingMs: 12_345 };

describe('timerRemainingAt', () => {
  it('counts down to endsAt while running', () => {
    expect(timerRemainingAt(running, 40_000)).toBe(60_000);
    expect(timerRemainingAt(running, 99_000)).toBe(1_000);
    expect(timerRemainingAt(running, 100_000)).toBe(0);
  });

  it('is never negative', () => {
    expect(timerRemainingAt(running, 250_000)).toBe(0);
  });

  it('is the stored remainder while paused or idle, whatever the time', () => {
    expect(timerRemainingAt(paused, 0)).toBe(12_345);
    expect(timerRemainingAt(paused, 1e12)).toBe(12_345);
    expect(timerRemainingAt(IDLE_TIMER, 5)).toBe(0);
  });
});

describe('timerFinished', () => {
  it('is true only for a timer that ran to zero', () => {
    expect(timerFinished({ ...paused, remainingMs: 0 })).toBe(true);
    expect(timerFinished(paused)).toBe(false);
    expect(timerFinished(running)).toBe(false);
    expect(timerFinished(IDLE_TIMER)).toBe(false);
  });
});

describe('IDLE_TIMER', () => {
  it('is the new-circle timer of PROTOCOL.md', () => {
    expect(IDLE_TIMER).toEqual({ label: '', durationMs: 0, running: false, endsAt: null, remainingMs: 0 });
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0:00'],
    [-5_000, '0:00'],
    [1, '0:01'],
    [999, '0:01'],
    [1_000, '0:01'],
    [1_001, '0:02'],
    [59_000, '0:59'],
    [60_000, '1:00'],
    [61_500, '1:02'],
    [600_000, '10:00'],
    [3_599_000, '59:59'],
    [3_600_000, '1:00:00'],
    [3_661_000, '1:01:01'],
    [14_400_000, '4:00:00'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('timerStatus, the one place a timer status is worked out', () => {
  const t = (change: Partial<TimerState>): TimerState => ({ ...IDLE_TIMER, ...change });
  it.each<[string, TimerState, ReturnType<typeof timerStatus>]>([
    ['never started', IDLE_TIMER, 'idle'],
    ['reset to its full length', t({ durationMs: 60_000, remainingMs: 60_000 }), 'idle'],
    ['running', t({ durationMs: 60_000, running: true, endsAt: 5, remainingMs: 60_000 }), 'running'],
    ['paused part-way', t({ durationMs: 60_000, remainingMs: 20_000 }), 'paused'],
    ['run to zero', t({ durationMs: 60_000, remainingMs: 0 }), 'finished'],
  ])('%s', (_, timer, status) => {
    expect(timerStatus(timer)).toBe(status);
  });

  it('pause needs a running timer; resume needs a stopped one with time left', () => {
    expect(timerCommandRefusal(t({ durationMs: 60_000, running: true, endsAt: 5, remainingMs: 60_000 }), 'timer.pause')).toBeNull();
    expect(timerCommandRefusal(t({ durationMs: 60_000, remainingMs: 20_000 }), 'timer.pause')?.code).toBe('conflict');
    expect(timerCommandRefusal(t({ durationMs: 60_000, remainingMs: 20_000 }), 'timer.resume')).toBeNull();
    expect(timerCommandRefusal(t({ durationMs: 60_000, remainingMs: 60_000 }), 'timer.resume')).toBeNull();
    expect(timerCommandRefusal(IDLE_TIMER, 'timer.resume')?.code).toBe('conflict');
    expect(timerCommandRefusal(t({ durationMs: 60_000, running: true, endsAt: 5, remainingMs: 60_000 }), 'timer.resume')?.code).toBe('conflict');
  });
});
