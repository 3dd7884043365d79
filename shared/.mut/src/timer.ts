import type { TimerState } from './state.js';

/** Milliseconds left on the shared timer at server time `now`. Never negative. */
export function timerRemainingAt(timer: TimerState, now: number): number {
  if (timer.running && timer.endsAt !== null) return Math.max(0, timer.endsAt - now);
  return timer.remainingMs;
}

/** A timer that has run to zero (as opposed to one never started or reset). */
export function timerFinished(timer: TimerState): boolean {
  return !timer.running && timer.durationMs > 0 && timer.remainingMs === 0;
}

export const IDLE_TIMER: TimerState = {
  label: '',
  durationMs: 0,
  running: false,
  endsAt: null,
  remainingMs: 0,
};

/** `m:ss` (or `h:mm:ss`) for a count of milliseconds, rounding up so 0:00 shows only at the end. */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const ss = String(seconds).padStart(2, '0');
  if (hours > 0) return `${hours}:${String(minutes).padStart(2, '0')}:${ss}`;
  return `${minutes}:${ss}`;
}
