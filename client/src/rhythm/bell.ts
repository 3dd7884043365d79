import type { Bell } from '@spiral/shared';
import { BELL_STRIKE_GAP_MS } from '../circle/sound';

/** A bell this screen hears about more than this long after its `at` (a reload, a slow link) stays silent. */
export const BELL_LATE_LIMIT_MS = 2_000;

/** How long the visible cue lasts: the last strike's ripple fades about 3 s after it. */
export function bellCueDurationMs(strikes: number): number {
  return (strikes - 1) * BELL_STRIKE_GAP_MS + 3_000;
}

/**
 * When this screen strikes `bell`, given its estimate of the server's time now: in `delayMs` (0: at
 * once, for a bell that is a little late), or never (`null`) when it arrived more than
 * `BELL_LATE_LIMIT_MS` after `at` (PROTOCOL.md v1.1, "Bells").
 */
export function planBell(bell: Bell, serverNow: number): { delayMs: number } | null {
  const lateBy = serverNow - bell.at;
  if (lateBy > BELL_LATE_LIMIT_MS) return null;
  return { delayMs: Math.max(0, -lateBy) };
}
