/** Circles with groups open, for the client's tests (never imported by the app). */
import type { Breakouts, CircleState } from '@spiral/shared';

export interface GroupSpec {
  memberIds: string[];
  /** Default: the first member (turns), or null in `open` mode. */
  speakerId?: string | null;
  helpAt?: number | null;
}

/** `state` with breakouts `b1` open: groups `b1g1`, `b1g2`… in the order given. */
export function withBreakouts(state: CircleState, groups: GroupSpec[], patch: Partial<Breakouts> = {}): CircleState {
  const mode = patch.mode ?? 'turns';
  const breakouts: Breakouts = {
    id: 'b1',
    prompt: 'Something I love about being alive on Earth is…',
    mode,
    groups: groups.map((g, i) => ({
      id: `b1g${i + 1}`,
      memberIds: g.memberIds,
      speakerId: g.speakerId !== undefined ? g.speakerId : mode === 'turns' ? (g.memberIds[0] ?? null) : null,
      helpAt: g.helpAt ?? null,
    })),
    message: null,
    visits: {},
    endsAt: null,
    closingAt: null,
    ...patch,
  };
  return { ...state, version: state.version + 1, breakouts };
}
