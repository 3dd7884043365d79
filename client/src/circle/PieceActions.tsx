import { useState, type ReactNode } from 'react';
import { passHint, wouldChange, type CircleState, type Command } from '@spiral/shared';
import type { ServerClock } from './useServerClock';
import { useTurnPhase, type TurnPhase } from '../rhythm/speakerTurn';

export interface PieceActionsProps {
  state: CircleState;
  me: string | null;
  /** Sends a command; when it returns the ack's promise, "Pass the piece" waits for it. */
  act: (cmd: Command) => void | Promise<unknown>;
  clock?: Pick<ServerClock, 'now'>;
  /** The holder's microphone switch, first in the row. */
  mic?: ReactNode;
}

const HOLDER_WORDS: Record<TurnPhase, string> = {
  speaking: 'Your turn: speak when you are ready.',
  'finish-up': 'A little time is left: finish up.',
  over: 'Your time is up: finish your thought.',
};

/** Pass or release the piece (for the holder, and facilitators), with the holder's microphone: next to the centre. */
export function PieceActions({ state, me, act, clock, mic }: PieceActionsProps) {
  const { holderId } = state.piece;
  const isHolder = me !== null && holderId === me;
  const turn = useTurnPhase(state, clock);
  // What pressing each button would do comes from the rules in @spiral/shared, never from here.
  const hint = me === null ? null : passHint(state, me);
  const canPass = hint !== null;
  const canRelease = me !== null && wouldChange(state, me, { type: 'piece.release' });
  // A pass names the holder this screen sees, so two people passing at once never skip anyone; the
  // button waits for the answer before it can be pressed again.
  const [passing, setPassing] = useState(false);
  const pass = () => {
    if (passing) return;
    setPassing(true);
    void Promise.resolve(act({ type: 'piece.pass', from: holderId })).finally(() => setPassing(false));
  };
  const phase = isHolder && turn?.holderId === me ? turn.phase : 'speaking';
  if (!canPass && !canRelease && !mic) return null;
  return (
    <div className="piece-actions" role="group" aria-label="The talking piece">
      {isHolder && phase !== 'speaking' ? <p className="piece-actions__you piece-actions__turn">{HOLDER_WORDS[phase]}</p> : null}
      <div className="piece-actions__row">
        {mic}
        {canPass ? (
          <button type="button" className="button button--primary" onClick={pass} aria-disabled={passing || undefined} aria-describedby="pass-hint" aria-keyshortcuts="P">
            Pass the piece
          </button>
        ) : null}
      </div>
      {canPass || canRelease ? (
        <p className="piece-actions__hint">
          {canPass ? <span id="pass-hint">{hint}</span> : null}
          {canRelease ? (
            <button type="button" className="link-button" onClick={() => act({ type: 'piece.release' })}>
              Release the piece
            </button>
          ) : null}
        </p>
      ) : null}
    </div>
  );
}
