/** The bell: one more strike pattern for every client to sound at the same server instant. */
import type { Bell, CircleState } from './state.js';

/** How long after `bell.ring` every client strikes it, so that all of them can strike together. */
export const BELL_LEAD_MS = 300;

/** The next bell after `state.bell`, struck at `now + BELL_LEAD_MS`. */
export function ringBell(state: CircleState, strikes: Bell['strikes'], now: number): CircleState {
  return { ...state, bell: { id: (state.bell?.id ?? 0) + 1, strikes, at: now + BELL_LEAD_MS } };
}
