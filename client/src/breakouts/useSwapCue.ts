import { useEffect, useRef } from 'react';
import { placeOf, type CircleState } from '@spiral/shared';
import type { Cues } from '../circle/sound';

/** The speaker of this member's group while they are in one that takes turns; null otherwise. */
function turnIn(state: CircleState | null, me: string | null): { group: string; speaker: string | null } | null {
  if (!state || !me || state.breakouts?.mode !== 'turns') return null;
  const place = placeOf(state, me);
  return place.kind === 'group' ? { group: place.group.id, speaker: place.group.speakerId } : null;
}

/**
 * A single soft strike of the bell when the turn changes hands in this member's group (a swap, a pass):
 * A has finished, B begins. Never on arriving in a group or on the first state, never with sounds off.
 */
export function useSwapCue(state: CircleState | null, me: string | null, cues: Cues, soundOn: boolean): void {
  const previous = useRef<ReturnType<typeof turnIn>>(null);
  const soundRef = useRef(soundOn);
  soundRef.current = soundOn;
  useEffect(() => {
    const now = turnIn(state, me);
    const before = previous.current;
    previous.current = now;
    if (!now || !before || before.group !== now.group || before.speaker === now.speaker) return;
    if (!soundRef.current || state?.silence) return;
    if (cues.bell) cues.bell(1, 0);
    else cues.softCue();
  }, [state, me, cues]);
}
