import type { Rejection } from './errors.js';
import { RULE_REFUSALS } from './refusals.js';
import type { TimerState } from './state.js';

/** Milliseconds left on the shared timer at server time `now`. Never negative. */
export function timerRemainingAt(timer: TimerState, now: number): number {
  if (timer.running && timer.endsAt !== null) return Math.max(0, timer.endsAt - now);
  return timer.remainingMs;
}

export const TIMER_STATUSES = ['idle', 'running', 'paused', 'finished'] as const;
export type TimerStatus = (typeof TIMER_STATUSES)[number];

/**
 * The shared timer's status, the one place it is worked out: `idle` never started or reset to its
 * full length, `running`, `paused` part-way, `finished` run to zero.
 */
export function timerStatus(timer: TimerState): TimerStatus {
  if (timer.running) return 'running';
  if (timer.durationMs > 0 && timer.remainingMs === 0) return 'finished';
  if (timer.durationMs > 0 && timer.remainingMs < timer.durationMs) return 'paused';
  return 'idle';
}

/** A timer that has run to zero (as opposed to one never started or reset). */
export function timerFinished(timer: TimerState): boolean {
  return timerStatus(timer) === 'finished';
}

/**
 * Why `timer.pause` or `timer.resume` is not possible now (`conflict`), or null. A reset timer may be
 * resumed: it runs from its full length.
 */
export function timerCommandRefusal(timer: TimerState, command: 'timer.pause' | 'timer.resume'): Rejection | null {
  const status = timerStatus(timer);
  if (command === 'timer.pause') return status === 'running' ? null : RULE_REFUSALS.timerNotRunning;
  if (status === 'running') return RULE_REFUSALS.timerAlreadyRunning;
  return timer.remainingMs > 0 ? null : RULE_REFUSALS.timerNoTimeLeft;
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
