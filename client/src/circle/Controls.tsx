import type { CircleState, Command, GestureKind } from '@spiral/shared';
import type { ServerClock } from './useServerClock';
import { GestureBar } from '../rhythm/GestureBar';

export interface ControlsProps {
  state: CircleState;
  me: string | null;
  act: (cmd: Command) => void | Promise<unknown>;
  /** Sends a gesture of witnessing (quietly: a refusal shows nothing). Without it, no gesture buttons. */
  onGesture?: (kind: GestureKind) => void;
  /** Kept for callers that pass it; the turn's notes are by the centre now (`PieceActions`). */
  clock?: Pick<ServerClock, 'now'>;
}

/** What every member can do, under the ring: raise or lower a hand, witness the speaker (passing is in `PieceActions`, by the centre). */
export function Controls({ state, me, act, onGesture }: ControlsProps) {
  const handRaised = me !== null && state.piece.queue.includes(me);
  return (
    <section className="controls" aria-label="Your controls">
      {handRaised ? (
        <button type="button" className="button" onClick={() => act({ type: 'hand.lower' })} aria-keyshortcuts="H">
          Lower hand
        </button>
      ) : (
        <button type="button" className="button" onClick={() => act({ type: 'hand.raise' })} aria-keyshortcuts="H">
          Raise hand
        </button>
      )}
      {onGesture ? <GestureBar onGesture={onGesture} /> : null}
    </section>
  );
}

/** Who waits to speak, in order. */
export function Queue({ state, me }: { state: CircleState; me: string | null }) {
  const { queue } = state.piece;
  const nameOf = (id: string) => state.participants.find((p) => p.id === id)?.name ?? '…';
  return (
    <section className="queue" aria-labelledby="queue-heading">
      <h2 id="queue-heading" className="queue__heading">
        Waiting to speak
      </h2>
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
    </section>
  );
}
