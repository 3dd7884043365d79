import { useEffect, useRef } from 'react';
import type { CircleState } from '@spiral/shared';
import type { Cues } from './sound';
import type { ServerClock } from './useServerClock';
import { turnMoments } from '../rhythm/speakerTurn';

/**
 * Plays the chime when the shared timer reaches its end and the soft "finish up" cue a little before
 * the current speaker's time is up (`turnMoments`; at the end itself there is only a visual mark, and
 * never a cut-off). Each is scheduled from the state and the server clock (not counted in ticks), fires
 * once per timer run / per turn, and never for a moment that had already passed when this screen saw
 * it. The finish-up cue stays quiet during silence. The bell has its own hook (`rhythm/useBell`).
 */
/** How often a cue's moment is checked against the server clock (whose estimate may improve meanwhile). */
const CHECK_EVERY_MS = 200;

/** Calls `fire` once, when the estimated server time reaches `at` — unless that moment had already passed. */
function useAtServerTime(at: number | null, clock: Pick<ServerClock, 'now'>, fire: () => void): void {
  const fireRef = useRef(fire);
  fireRef.current = fire;
  useEffect(() => {
    if (at === null) return;
    if (at - clock.now() < -1_000) return; // ended before we saw it
    let done = false;
    const check = () => {
      if (done || clock.now() < at) return;
      done = true;
      clearInterval(timer);
      fireRef.current();
    };
    const timer = setInterval(check, CHECK_EVERY_MS);
    check();
    return () => clearInterval(timer);
  }, [at, clock]);
}

export function useCues(state: CircleState | null, clock: Pick<ServerClock, 'now'>, cues: Cues, soundOn: boolean): void {
  const soundRef = useRef(soundOn);
  soundRef.current = soundOn;

  const endsAt = state?.timer.running ? state.timer.endsAt : null;
  useAtServerTime(endsAt, clock, () => {
    if (soundRef.current) cues.chime();
  });

  const silentRef = useRef(false);
  // No turn cue in silence, nor while groups meet (the main circle's holder is not their speaker).
  silentRef.current = state?.silence != null || state?.breakouts != null;
  const finishUpAt = turnMoments(state)?.finishUpAt ?? null;
  useAtServerTime(finishUpAt, clock, () => {
    if (soundRef.current && !silentRef.current) cues.softCue();
  });
}
