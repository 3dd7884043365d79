/**
 * Assertions for the tests of `shared/`: a `decide` wrapper that narrows its result, with the circle
 * builder every package's tests use (`./testing/circle-builder.ts`). Not exported from the package.
 */
import { expect } from 'vitest';
import type { CircleCommand } from './commands.js';
import { decide, type Decision, type Effect, type SystemCommand } from './decide.js';
import type { Rejection } from './errors.js';
import type { CircleState, Participant } from './state.js';
import { GRACE_MS, NOW } from './testing/circle-builder.js';

export { GRACE_MS, makeCircle, makeMember, NOW, standardCircle, T0, type CircleSpec, type MemberSpec } from './testing/circle-builder.js';

/** `decide` by member `actorId`, or by the system when `actorId` is `'system'`. */
export function act(
  state: CircleState,
  actorId: string,
  command: CircleCommand | SystemCommand,
  now: number = NOW,
  holderGraceMs: number = GRACE_MS,
): Decision {
  const actor = actorId === 'system' ? ({ kind: 'system' } as const) : ({ kind: 'member', id: actorId } as const);
  return decide(state, command, { actor, now, holderGraceMs });
}

export type Accepted = Extract<Decision, { ok: true }>;

export function expectAccepted(decision: Decision): Accepted {
  if (!decision.ok) {
    expect.fail(`expected the command to be accepted, got ${decision.rejection.code}: ${decision.rejection.message}`);
  }
  return decision;
}

/** Accepted and changed: the version rose by exactly one. */
export function expectChanged(before: CircleState, decision: Decision): Accepted {
  const accepted = expectAccepted(decision);
  expect(accepted.changed).toBe(true);
  expect(accepted.state.version).toBe(before.version + 1);
  return accepted;
}

/** Accepted without change: same state object, same version, no effects. */
export function expectNoop(before: CircleState, decision: Decision): Accepted {
  const accepted = expectAccepted(decision);
  expect(accepted.changed).toBe(false);
  expect(accepted.state).toBe(before);
  expect(accepted.state.version).toBe(before.version);
  expect(accepted.effects).toEqual([]);
  return accepted;
}

export function expectRejected(decision: Decision, code: Rejection['code']): Rejection {
  if (decision.ok) expect.fail(`expected rejection ${code}, but the command was accepted`);
  expect(decision.rejection.code).toBe(code);
  expect(decision.rejection.message.length).toBeGreaterThan(0);
  return decision.rejection;
}

export function mediaChanges(effects: Effect[]): Array<{ participantId: string; maySpeak: boolean }> | undefined {
  const media = effects.filter((e) => e.type === 'media.permissions');
  expect(media.length).toBeLessThanOrEqual(1);
  const first = media[0];
  return first && first.type === 'media.permissions' ? first.changes : undefined;
}

export function member(state: CircleState, id: string): Participant {
  const found = state.participants.find((p) => p.id === id);
  if (!found) expect.fail(`no member ${id}`);
  return found;
}
