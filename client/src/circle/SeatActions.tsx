import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { wouldChange, type CircleState, type Command } from '@spiral/shared';

export interface SeatActionsProps {
  state: CircleState;
  me: string | null;
  participantId: string;
  act: (cmd: Command) => void | Promise<unknown>;
  onClose: () => void;
}

/**
 * What a facilitator can do for the person in a chosen seat, beside that seat: give them the piece,
 * lower their hand, change their role, remove them. Focus lands on the first action; Escape closes it
 * (and focus goes back to the seat).
 */
export function SeatActions({ state, me, participantId, act, onClose }: SeatActionsProps) {
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [giving, setGiving] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const selected = state.participants.find((p) => p.id === participantId);
  const { piece } = state;
  const may = (cmd: Parameters<typeof wouldChange>[2]) => me !== null && wouldChange(state, me, cmd);

  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('button')?.focus();
    setConfirmRemove(false);
  }, [participantId]);

  if (!selected) return null;
  const close = () => {
    setConfirmRemove(false);
    onClose();
    // Back to the seat the actions belong to.
    const seat = [...document.querySelectorAll<HTMLElement>('[data-participant-id]')].find((el) => el.dataset.participantId === participantId);
    seat?.querySelector<HTMLElement>('.seat__button')?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      close();
    }
  };
  // A pass names the holder as this screen sees it: if someone else moved the piece meanwhile, the
  // server refuses it rather than skip anyone. The button waits for the answer.
  const give = () => {
    if (giving) return;
    setGiving(true);
    void Promise.resolve(act({ type: 'piece.pass', to: selected.id, from: piece.holderId })).finally(() => setGiving(false));
  };
  return (
    <div className="seat-actions" ref={ref} role="group" aria-labelledby="seat-actions-name" onKeyDown={onKeyDown}>
      <p className="seat-actions__who" id="seat-actions-name">
        <strong>{selected.name}</strong> {selected.connected ? '(here)' : '(away)'}
      </p>
      <div className="seat-actions__list">
        {may({ type: 'piece.pass', to: selected.id, from: piece.holderId }) ? (
          <button type="button" className="button" onClick={give} aria-disabled={giving || undefined}>
            Give the piece to {selected.name}
          </button>
        ) : null}
        {may({ type: 'participant.role', participantId: selected.id, role: 'facilitator' }) ? (
          <button type="button" className="button" onClick={() => act({ type: 'participant.role', participantId: selected.id, role: 'facilitator' })}>
            Make co-facilitator
          </button>
        ) : null}
        {may({ type: 'participant.role', participantId: selected.id, role: 'participant' }) ? (
          <button type="button" className="button" onClick={() => act({ type: 'participant.role', participantId: selected.id, role: 'participant' })}>
            Make participant
          </button>
        ) : null}
        {may({ type: 'hand.lower', participantId: selected.id }) ? (
          <button type="button" className="button" onClick={() => act({ type: 'hand.lower', participantId: selected.id })}>
            Lower {selected.name}’s hand
          </button>
        ) : null}
        {may({ type: 'participant.remove', participantId: selected.id }) ? (
          confirmRemove ? (
            <>
              <button
                type="button"
                className="button button--danger"
                onClick={() => {
                  act({ type: 'participant.remove', participantId: selected.id });
                  setConfirmRemove(false);
                  onClose();
                }}
              >
                Yes, remove {selected.name}
              </button>
              <button type="button" className="button" onClick={() => setConfirmRemove(false)}>
                Keep them
              </button>
            </>
          ) : (
            <button type="button" className="button" onClick={() => setConfirmRemove(true)}>
              Remove {selected.name}…
            </button>
          )
        ) : null}
        <button type="button" className="button button--quiet" onClick={close}>
          Done
        </button>
      </div>
    </div>
  );
}
