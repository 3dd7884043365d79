import { useEffect, useRef, useState } from 'react';
import { wouldChange, type CircleState, type Command } from '@spiral/shared';
import type { Cues } from '../circle/sound';
import type { ServerClock } from '../circle/useServerClock';
import { BellCue } from './BellCue';
import { SilenceOverlay } from './SilenceOverlay';
import { useBell } from './useBell';
import './rhythm.css';

export interface RhythmProps {
  state: CircleState;
  me: string | null;
  clock: Pick<ServerClock, 'now'>;
  cues: Cues;
  soundOn: boolean;
  act: (cmd: Command) => void;
}

/** What a screen reader hears when silence begins or ends. */
export function silenceWords(silence: CircleState['silence'], began: boolean): string {
  if (!began) return 'The silence has ended.';
  if (silence?.endsAt == null) return 'Silence. Nobody speaks until the bell.';
  const minutes = Math.round((silence.endsAt - silence.since) / 60_000);
  return minutes >= 1 ? `Silence for ${minutes === 1 ? 'a minute' : `${minutes} minutes`}. Nobody speaks until the bell.` : 'Silence. Nobody speaks until the bell.';
}

/**
 * The circle's rhythm on this screen: the bell (heard at its moment and seen) and the silence overlay
 * (with "End silence" for facilitators). Facilitators ring the bell and begin a silence from
 * `RhythmBar`. While silence holds, the rest of the screen should be `inert` (CircleScreen does it
 * for its header and main area), so the overlay is what a keyboard reaches.
 */
export function Rhythm({ state, me, clock, cues, soundOn, act }: RhythmProps) {
  const cue = useBell(state.bell, clock, cues, soundOn);
  const mayEnd = me !== null && wouldChange(state, me, { type: 'silence.end' });

  const holds = state.silence !== null;
  const [note, setNote] = useState('');
  const was = useRef<boolean | null>(null);
  useEffect(() => {
    if (was.current === holds) return;
    const first = was.current === null;
    was.current = holds;
    if (first && !holds) return;
    setNote(silenceWords(state.silence, holds));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- announce on the change only
  }, [holds]);

  return (
    <>
      {state.silence ? <SilenceOverlay silence={state.silence} clock={clock} onEnd={mayEnd ? () => act({ type: 'silence.end' }) : undefined} /> : null}
      <BellCue cue={cue} />
      <p className="sr-only" aria-live="polite" data-testid="silence-announcer">
        {note}
      </p>
    </>
  );
}
