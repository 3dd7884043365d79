import { useEffect, useState } from 'react';
import type { CircleState } from '@spiral/shared';
import type { ServerClock } from '../circle/useServerClock';

/** The "finish up" cue comes this long before the speaker's time runs out (half the turn for very short turns). */
export const FINISH_UP_LEAD_MS = 15_000;

/** The moments of the current holder's turn (server ms), or null when nobody holds the piece. */
export interface TurnMoments {
  holderId: string;
  finishUpAt: number;
  endsAt: number;
}

export function turnMoments(state: CircleState | null): TurnMoments | null {
  if (!state || state.piece.mode === 'open') return null;
  const { holderId, since } = state.piece;
  if (holderId === null || since === null) return null;
  const limit = state.settings.speakerTimeMs;
  const endsAt = since + limit;
  return { holderId, endsAt, finishUpAt: endsAt - Math.min(FINISH_UP_LEAD_MS, limit / 2) };
}

/** Where the holder is in their turn: a gentle "finish up", then "time" — never a cut-off. */
export type TurnPhase = 'speaking' | 'finish-up' | 'over';

export function turnPhaseAt(moments: TurnMoments, serverNow: number): TurnPhase {
  if (serverNow >= moments.endsAt) return 'over';
  if (serverNow >= moments.finishUpAt) return 'finish-up';
  return 'speaking';
}

/** The holder's phase now, worked out at each render and re-checked a few times a second against the server clock. */
export function useTurnPhase(state: CircleState | null, clock: Pick<ServerClock, 'now'> | undefined): { holderId: string; phase: TurnPhase } | null {
  const moments = turnMoments(state);
  const phase = moments && clock ? turnPhaseAt(moments, clock.now()) : null;
  const [, rerender] = useState(0);
  const holderId = moments?.holderId ?? null;
  const finishUpAt = moments?.finishUpAt ?? 0;
  const endsAt = moments?.endsAt ?? 0;
  useEffect(() => {
    if (holderId === null || !clock) return;
    let shown = turnPhaseAt({ holderId, finishUpAt, endsAt }, clock.now());
    const timer = setInterval(() => {
      const now = turnPhaseAt({ holderId, finishUpAt, endsAt }, clock.now());
      if (now !== shown) {
        shown = now;
        rerender((n) => n + 1);
      }
    }, 250);
    return () => clearInterval(timer);
  }, [holderId, finishUpAt, endsAt, clock]);
  return moments && phase ? { holderId: moments.holderId, phase } : null;
}
