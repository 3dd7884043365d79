/**
 * Builders for the tests of `shared/`: small circles with named members, and a `decide` wrapper
 * that narrows its result. Not exported from the package index.
 */
import { expect } from 'vitest';
import { createCircleState } from './circle.js';
import type { Command } from './commands.js';
import { decide, type Decision, type Effect, type SystemCommand } from './decide.js';
import type { Rejection } from './errors.js';
import type { CircleState, Participant, PieceMode, Role } from './state.js';
import type { TemplateKey } from './templates.js';

export const GRACE_MS = 30_000;
export const T0 = 1_700_000_000_000;
/** The default time commands are decided at in unit tests (after T0). */
export const NOW = T0 + 60_000;

export interface MemberSpec {
  id: string;
  role?: Role;
  /** Default true. An away member gets `awaySince` (default `NOW - 1000`). */
  connected?: boolean;
  awaySince?: number;
  name?: string;
  seat?: number;
}

export interface CircleSpec {
  members?: MemberSpec[];
  template?: TemplateKey;
  mode?: PieceMode;
  holderId?: string | null;
  queue?: string[];
  version?: number;
}

/** A circle created at `T0` with the given members seated 1, 2, 3… in order (unless seats are given). */
export function makeCircle(spec: CircleSpec = {}): CircleState {
  const base = createCircleState({ id: 'circle-1', title: 'Test circle', template: spec.template ?? 'wtr-spiral', now: T0 });
  const participants: Participant[] = (spec.members ?? []).map((m, i) => {
    const connected = m.connected ?? true;
    return {
      id: m.id,
      name: m.name ?? `Name ${m.id}`,
      role: m.role ?? 'participant',
      connected,
      seat: m.seat ?? i + 1,
      awaySince: connected ? null : (m.awaySince ?? NOW - 1_000),
    };
  });
  const holderId = spec.holderId ?? null;
  return {
    ...base,
    version: spec.version ?? base.version,
    participants,
    piece: {
      ...base.piece,
      mode: spec.mode ?? base.piece.mode,
      holderId,
      since: holderId === null ? null : T0,
      queue: spec.queue ?? [],
    },
  };
}

/** The usual cast: facilitator `f`, participants `a`, `b`, `c` (seats 1..4), all here, round mode. */
export function standardCircle(overrides: Omit<CircleSpec, 'members'> & { away?: string[] } = {}): CircleState {
  const away = new Set(overrides.away ?? []);
  return makeCircle({
    ...overrides,
    members: [
      { id: 'f', role: 'facilitator', connected: !away.has('f') },
      { id: 'a', connected: !away.has('a') },
      { id: 'b', connected: !away.has('b') },
      { id: 'c', connected: !away.has('c') },
    ],
  });
}

/** `decide` by member `actorId`, or by the system when `actorId` is `'system'`. */
export function act(
  state: CircleState,
  actorId: string,
  command: Command | SystemCommand,
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
