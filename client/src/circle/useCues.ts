import { useEffect, useRef } from 'react';
import type { CircleState } from '@spiral/shared';
import type { Cues } from './sound';
import type { ServerClock } from './useServerClock';

/**
 * Plays the chime when the shared timer reaches its end and the soft cue when the current speaker's
 * time is up. Each is scheduled from the state and the server clock (not counted in ticks), fires once
 * per timer run / per turn, and never for a moment that had already passed when this screen saw it.
 */
export function useCues(state: CircleState | null, clock: Pick<ServerClock, 'now'>, cues: Cues, soundOn: boolean): void {
  const soundRef = useRef(soundOn);
  soundRef.current = soundOn;

  const endsAt = state?.timer.running ? state.timer.endsAt : null;
  useEffect(() => {
    if (endsAt === null) return;
    const delay = endsAt - clock.now();
    if (delay < -1_000) return; // ended before we saw it
    const t = setTimeout(() => {
      if (soundRef.current) cues.chime();
    }, Math.max(0, delay));
    return () => clearTimeout(t);
  }, [endsAt, clock, cues]);

  const turnEnds =
    state && state.piece.mode !== 'open' && state.piece.holderId !== null && state.piece.since !== null
      ? state.piece.since + state.settings.speakerTimeMs
      : null;
  useEffect(() => {
    if (turnEnds === null) return;
    const delay = turnEnds - clock.now();
    if (delay < -1_000) return;
    const t = setTimeout(() => {
      if (soundRef.current) cues.softCue();
    }, Math.max(0, delay));
    return () => clearTimeout(t);
  }, [turnEnds, clock, cues]);
}
