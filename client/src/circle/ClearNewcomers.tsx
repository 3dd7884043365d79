import { useEffect, useRef, useState } from 'react';
import type { CircleState, Command } from '@spiral/shared';

/** How recent an arrival counts as part of a wave. */
export const WAVE_WINDOW_MS = 60_000;
/** The control appears once at least this many people arrived within the window. */
export const WAVE_MIN = 2;

export interface ClearNewcomersProps {
  state: CircleState;
  me: string | null;
  act: (cmd: Command) => void | Promise<unknown>;
  /** The time now (tests pass a fake one). */
  now?: () => number;
}

/**
 * "Remove the N people who joined in the last minute…": a facilitator clears a wave of newcomers
 * (a flood of bots, a link posted in the wrong place) at once, after confirming. Arrivals are the
 * participants this screen first saw in the last minute; everyone already here when it opened, and
 * every facilitator, is never counted. One `participants.remove` removes them and revokes their tokens.
 */
export function ClearNewcomers({ state, me, act, now = Date.now }: ClearNewcomersProps) {
  const firstSeen = useRef<Map<string, number> | null>(null);
  const [, setTick] = useState(0);
  const [confirming, setConfirming] = useState<string[] | null>(null);

  if (firstSeen.current === null) firstSeen.current = new Map(state.participants.map((p) => [p.id, Number.NEGATIVE_INFINITY]));
  const seen = firstSeen.current;
  const at = now();
  for (const p of state.participants) if (!seen.has(p.id)) seen.set(p.id, at);

  // Arrivals age out of the window without any change to the circle.
  useEffect(() => {
    const id = setInterval(() => setTick((t) => t + 1), 5_000);
    return () => clearInterval(id);
  }, []);

  const newcomers = state.participants.filter((p) => p.role !== 'facilitator' && p.id !== me && (seen.get(p.id) ?? 0) >= at - WAVE_WINDOW_MS);
  const stillHere = confirming?.filter((id) => state.participants.some((p) => p.id === id && p.role !== 'facilitator')) ?? [];

  if (confirming !== null && stillHere.length > 0) {
    return (
      <div className="facilitator__wave" role="group" aria-label="Remove newcomers">
        <p className="hint">
          {stillHere.length} {stillHere.length === 1 ? 'person' : 'people'} will be removed from the circle and disconnected.
        </p>
        <button
          type="button"
          className="button button--danger"
          onClick={() => {
            void act({ type: 'participants.remove', participantIds: stillHere });
            setConfirming(null);
          }}
        >
          Yes, remove {stillHere.length} {stillHere.length === 1 ? 'person' : 'people'}
        </button>
        <button type="button" className="button" onClick={() => setConfirming(null)}>
          Keep them
        </button>
      </div>
    );
  }
  if (newcomers.length < WAVE_MIN) return null;
  return (
    <button type="button" className="button" onClick={() => setConfirming(newcomers.map((p) => p.id))}>
      Remove the {newcomers.length} people who joined in the last minute…
    </button>
  );
}
