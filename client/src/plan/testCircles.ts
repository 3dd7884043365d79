import type { CircleState } from '@spiral/shared';
import { makeCircle } from '@spiral/shared/testing';

/** A café with a host (`f`, Fran) and two members (`a` Ann, `b` Ben), at step `current` of its template plan. */
export function cafe(current: number | null = null, patch: Partial<CircleState> = {}): CircleState {
  const base = makeCircle({
    id: 'c1',
    title: 'Thursday café',
    template: 'conversation-cafe',
    members: [
      { id: 'f', role: 'facilitator', name: 'Fran' },
      { id: 'a', name: 'Ann' },
      { id: 'b', name: 'Ben' },
    ],
  });
  return { ...base, question: 'What is enough?', plan: { ...base.plan, current }, ...patch };
}

/** A spiral circle with the same people, at step `current`. */
export function spiral(current: number | null = null, patch: Partial<CircleState> = {}): CircleState {
  const base = makeCircle({
    id: 'c1',
    title: 'Saturday spiral',
    template: 'wtr-spiral',
    members: [
      { id: 'f', role: 'facilitator', name: 'Fran' },
      { id: 'a', name: 'Ann' },
      { id: 'b', name: 'Ben' },
    ],
  });
  return { ...base, plan: { ...base.plan, current }, ...patch };
}
