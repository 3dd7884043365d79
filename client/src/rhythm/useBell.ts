import { useEffect, useRef, useState } from 'react';
import type { Bell } from '@spiral/shared';
import type { Cues } from '../circle/sound';
import type { ServerClock } from '../circle/useServerClock';
import { bellCueDurationMs, planBell } from './bell';

/** The bell this screen is showing (or last showed). */
export interface BellCueState {
  id: number;
  strikes: number;
  /** When the first strike sounds, on this page's own clock (`Date.now()` ms). */
  localAt: number;
  /** Whether the sound was scheduled (false with "Sounds off"). */
  sounded: boolean;
  /** True from the first strike until the cue fades. */
  ringing: boolean;
}

/**
 * Strikes each new bell once, at `bell.at` on the server-clock estimate, and drives its visible cue.
 * A bell already seen (a later snapshot, a re-render) is never struck again; one that reaches this
 * screen more than 2 s late (e.g. the snapshot after a reload) is neither struck nor shown.
 */
export function useBell(bell: Bell | null, clock: Pick<ServerClock, 'now'>, cues: Cues, soundOn: boolean): BellCueState | null {
  const [cue, setCue] = useState<BellCueState | null>(null);
  const seen = useRef<number>(0);
  const soundRef = useRef(soundOn);
  soundRef.current = soundOn;
  const id = bell?.id ?? 0;

  useEffect(() => {
    if (!bell || bell.id <= seen.current) return;
    seen.current = bell.id;
    const plan = planBell(bell, clock.now());
    if (!plan) return;
    const sounded = soundRef.current && typeof cues.bell === 'function';
    if (sounded) cues.bell?.(bell.strikes, plan.delayMs);
    setCue({ id: bell.id, strikes: bell.strikes, localAt: Date.now() + plan.delayMs, sounded, ringing: false });
    const mark = (ringing: boolean) => setCue((c) => (c && c.id === bell.id ? { ...c, ringing } : c));
    // Not cancelled on cleanup: the sound is already scheduled, and the cue must follow it even when
    // this effect runs again for a newer snapshot. A newer bell replaces the cue (its id differs).
    setTimeout(() => mark(true), plan.delayMs);
    setTimeout(() => mark(false), plan.delayMs + bellCueDurationMs(bell.strikes));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a bell is identified by its id
  }, [id]);

  return cue;
}
