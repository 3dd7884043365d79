import type { CircleState, Command } from '@spiral/shared';

export interface ControlsProps {
  state: CircleState;
  me: string | null;
  act: (cmd: Command) => void;
}

/** What every member can do: raise or lower a hand; for the holder (and facilitators), pass or release the piece. */
export function Controls({ state, me, act }: ControlsProps) {
  const meP = state.participants.find((p) => p.id === me);
  const { mode, holderId, queue } = state.piece;
  const handRaised = me !== null && queue.includes(me);
  const isHolder = me !== null && holderId === me;
  const isFacilitator = meP?.role === 'facilitator';
  const pieceOn = mode !== 'open';
  const canPass = pieceOn && (isHolder || isFacilitator);
  const canRelease = pieceOn && holderId !== null && (isHolder || isFacilitator);
  const nameOf = (id: string) => state.participants.find((p) => p.id === id)?.name ?? '…';

  let passHint = '';
  if (canPass) {
    if (mode === 'popcorn') passHint = queue[0] ? `Next: ${nameOf(queue[0])}` : 'Nobody is waiting: the piece will go to the centre';
    else passHint = 'To the next person round the circle';
  }

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
          {passHint}
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
