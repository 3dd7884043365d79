import { passHint, wouldChange, type CircleState, type Command } from '@spiral/shared';

export interface ControlsProps {
  state: CircleState;
  me: string | null;
  act: (cmd: Command) => void;
}

/** What every member can do: raise or lower a hand; for the holder (and facilitators), pass or release the piece. */
export function Controls({ state, me, act }: ControlsProps) {
  const { holderId, queue } = state.piece;
  const handRaised = me !== null && queue.includes(me);
  const isHolder = me !== null && holderId === me;
  // What pressing each button would do comes from the rules in @spiral/shared, never from here.
  const hint = me === null ? null : passHint(state, me);
  const canPass = hint !== null;
  const canRelease = me !== null && wouldChange(state, me, { type: 'piece.release' });
  const nameOf = (id: string) => state.participants.find((p) => p.id === id)?.name ?? '…';

  return (
    <section className="controls" aria-label="Your controls">
      {isHolder ? <p className="controls__you-hold">You hold the talking piece. Speak when you are ready; pass it on when you are done.</p> : null}
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
          <button type="button" className="button button--primary" onClick={() => act({ type: 'piece.pass' })} aria-describedby="pass-hint">
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
