import { useState, type DragEvent } from 'react';
import { wouldChange, type CircleState, type Command } from '@spiral/shared';
import { seatsInOrder } from '../circle/Ring';

export interface SeatOrderEditorProps {
  state: CircleState;
  me: string | null;
  act: (cmd: Command) => void | Promise<unknown>;
}

/** The draft order, kept in step with who is in the circle: members who left drop out, newcomers join at the end. */
export function reconcileOrder(draft: readonly string[], members: readonly string[]): string[] {
  const present = new Set(members);
  const kept = draft.filter((id) => present.has(id));
  const known = new Set(kept);
  return [...kept, ...members.filter((id) => !known.has(id))];
}

export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  if (item !== undefined) next.splice(Math.max(0, Math.min(next.length, to)), 0, item);
  return next;
}

/**
 * "Seat order": the facilitator arranges the seats (drag them, or move each up and down with its
 * buttons — the keyboard way), then sends the whole order with `seats.order`.
 */
export function SeatOrderEditor({ state, me, act }: SeatOrderEditorProps) {
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<string[] | null>(null);
  const [note, setNote] = useState('');
  const [dragging, setDragging] = useState<string | null>(null);
  const current = seatsInOrder(state.participants).map((p) => p.id);
  const order = reconcileOrder(draft ?? current, current);
  const nameOf = (id: string) => state.participants.find((p) => p.id === id)?.name ?? 'Someone';
  const command: Command = { type: 'seats.order', participantIds: order };
  // Offered when the order differs from the ring's and the server would take it.
  const moved = order.some((id, i) => id !== current[i]);
  const changed = moved && me !== null && wouldChange(state, me, command);

  const move = (id: string, to: number) => {
    const from = order.indexOf(id);
    if (from < 0 || to < 0 || to >= order.length || to === from) return;
    setDraft(moveItem(order, from, to));
    setNote(`${nameOf(id)}: place ${to + 1} of ${order.length}.`);
  };
  const close = () => {
    setOpen(false);
    setDraft(null);
    setNote('');
  };
  const save = () => {
    void Promise.resolve(act(command)).finally(close);
  };
  const onDrop = (event: DragEvent, targetId: string) => {
    event.preventDefault();
    if (dragging) move(dragging, order.indexOf(targetId));
    setDragging(null);
  };

  if (!open) {
    return (
      <button type="button" className="button" aria-expanded="false" onClick={() => setOpen(true)} disabled={current.length < 2}>
        Seat order…
      </button>
    );
  }
  return (
    <div className="seat-order">
      <p className="hint" id="seat-order-help">
        Drag a name, or use its arrows, to change where people sit. The circle goes clockwise from the top.
      </p>
      <ol className="seat-order__list" aria-label="Seat order" aria-describedby="seat-order-help">
        {order.map((id, index) => (
          <li
            key={id}
            className={`seat-order__item${dragging === id ? ' seat-order__item--dragging' : ''}`}
            draggable
            onDragStart={(e) => {
              setDragging(id);
              e.dataTransfer.effectAllowed = 'move';
              e.dataTransfer.setData('text/plain', id);
            }}
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => onDrop(e, id)}
            onDragEnd={() => setDragging(null)}
          >
            <span className="seat-order__grip" aria-hidden="true">
              ⋮⋮
            </span>
            <span className="seat-order__place" aria-hidden="true">
              {index + 1}
            </span>
            <span className="seat-order__name">{nameOf(id)}</span>
            <button type="button" className="icon-button" aria-label={`Move ${nameOf(id)} up`} aria-disabled={index === 0 || undefined} onClick={() => move(id, index - 1)}>
              ↑
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label={`Move ${nameOf(id)} down`}
              aria-disabled={index === order.length - 1 || undefined}
              onClick={() => move(id, index + 1)}
            >
              ↓
            </button>
          </li>
        ))}
      </ol>
      <p className="sr-only" aria-live="polite">
        {note}
      </p>
      <div className="controls__row">
        <button type="button" className="button button--primary" onClick={save} disabled={!changed}>
          Save seat order
        </button>
        <button type="button" className="button" onClick={close}>
          Cancel
        </button>
      </div>
    </div>
  );
}
