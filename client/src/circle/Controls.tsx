import { useState } from 'react';
import { passHint, wouldChange, type CircleState, type Command, type GestureKind } from '@spiral/shared';
import type { ServerClock } from './useServerClock';
import { GestureBar } from '../rhythm/GestureBar';
import { useTurnPhase, type TurnPhase } from '../rhythm/speakerTurn';

export interface ControlsProps {
  state: CircleState;
  me: string | null;
  /** Sends a command; when it returns the ack's promise, "Pass the piece" waits for it. */
  act: (cmd: Command) => void | Promise<unknown>;
  /** Sends a gesture of witnessing (quietly: a refusal shows nothing). Without it, no gesture buttons. */
  onGesture?: (kind: GestureKind) => void;
  /** For the holder's "finish up" note. */
  clock?: Pick<ServerClock, 'now'>;
}

const HOLDER_WORDS: Record<TurnPhase, string> = {
  speaking: 'You hold the talking piece. Speak when you are ready; pass it on when you are done.',
  'finish-up': 'You hold the talking piece. A little time is left: take a moment to finish up.',
  over: 'You hold the talking piece. Your time is up: finish your thought, then pass it on.',
};

/** What every member can do: raise or lower a hand, witness the speaker; for the holder (and facilitators), pass or release the piece. */
export function Controls({ state, me, act, onGesture, clock }: ControlsProps) {
  const { holderId, queue } = state.piece;
  const handRaised = me !== null && queue.includes(me);
  const isHolder = me !== null && holderId === me;
  const turn = useTurnPhase(state, clock);
  // What pressing each button would do comes from the rules in @spiral/shared, never from here.
  const hint = me === null ? null : passHint(state, me);
  const canPass = hint !== null;
  const canRelease = me !== null && wouldChange(state, me, { type: 'piece.release' });
  const nameOf = (id: string) => state.participants.find((p) => p.id === id)?.name ?? '…';
  // A pass names the holder this screen sees, so two people passing at once never skip anyone; the
  // button waits for the answer before it can be pressed again.
  const [passing, setPassing] = useState(false);
  const pass = () => {
    if (passing) return;
    setPassing(true);
    void Promise.resolve(act({ type: 'piece.pass', from: holderId })).finally(() => setPassing(false));
  };
  const phase = isHolder && turn?.holderId === me ? turn.phase : 'speaking';

  return (
    <section className="controls" aria-label="Your controls">
      {isHolder ? <p className={phase === 'speaking' ? 'controls__you-hold' : 'controls__you-hold controls__turn'}>{HOLDER_WORDS[phase]}</p> : null}
      <div className="controls__row">
        {handRaised ? (
          <button type="button" className="button" onClick={() => act({ type: 'hand.lower' })}>
            Lower hand
          </button>
        ) : (
          <button type="button" className="button" onClick={() => act({ type: 'hand.raise' })}>
            Raise hand
          </button>
        )}
        {canPass ? (
          <button type="button" className="button button--primary" onClick={pass} aria-disabled={passing || undefined} aria-describedby="pass-hint">
            Pass the piece
          </button>
        ) : null}
        {canRelease ? (
          <button type="button" className="button" onClick={() => act({ type: 'piece.release' })}>
            Release the piece
          </button>
        ) : null}
      </div>
      {canPass ? (
        <p id="pass-hint" className="controls__hint">
          {hint}
        </p>
      ) : null}
      {onGesture ? <GestureBar onGesture={onGesture} /> : null}
      <div className="queue">
        <h3 className="queue__heading">Waiting to speak</h3>
        {queue.length === 0 ? (
          <p className="queue__empty">No hands raised.</p>
        ) : (
          <ol className="queue__list" aria-label="Raised hands, in order">
            {queue.map((id) => (
              <li key={id}>
                {nameOf(id)}
                {id === me ? ' (you)' : ''}
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}
