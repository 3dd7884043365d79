import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCircleState } from './circle.js';
import type { CircleCommand } from './commands.js';
import { decide, type Decision, type SystemCommand } from './decide.js';
import { maySpeakById } from './speaking.js';
import { STAGE_KEYS } from './stages.js';
import { PIECE_MODES, ROLES, circleStateSchema, type CircleState, type Role } from './state.js';
import { TEMPLATE_KEYS } from './templates.js';

const GRACE_MS = 30_000;
/** Ids that may join, plus one that never does. */
const IDS = ['f1', 'f2', 'p1', 'p2', 'p3', 'p4'] as const;
const idArb = fc.constantFrom(...IDS, 'ghost');
/** Actors: mostly the first facilitator, so that facilitator-only commands get through often. */
const actorArb = fc.oneof({ weight: 3, arbitrary: fc.constant('f1') }, { weight: 4, arbitrary: idArb });
const roleArb = fc.constantFrom(...ROLES);

const memberCommandArb: fc.Arbitrary<CircleCommand> = fc.oneof(
  fc.constant({ type: 'stage.advance' } as const),
  fc.constantFrom(...STAGE_KEYS).map((stage) => ({ type: 'stage.set', stage }) as const),
  fc.option(idArb, { nil: undefined }).map((to): CircleCommand => (to === undefined ? { type: 'piece.pass' } : { type: 'piece.pass', to })),
  fc.constant({ type: 'piece.release' } as const),
  fc.constant({ type: 'piece.take' } as const),
  fc.constantFrom(...PIECE_MODES).map((mode) => ({ type: 'piece.mode', mode }) as const),
  fc.constant({ type: 'hand.raise' } as const),
  fc
    .option(idArb, { nil: undefined })
    .map((participantId): CircleCommand => (participantId === undefined ? { type: 'hand.lower' } : { type: 'hand.lower', participantId })),
  fc
    .record({ durationMs: fc.integer({ min: 1_000, max: 120_000 }), label: fc.option(fc.constantFrom('', 'Round', 'Silence'), { nil: undefined }) })
    .map(({ durationMs, label }): CircleCommand => (label === undefined ? { type: 'timer.start', durationMs } : { type: 'timer.start', durationMs, label })),
  fc.constant({ type: 'timer.pause' } as const),
  fc.constant({ type: 'timer.resume' } as const),
  fc.constant({ type: 'timer.reset' } as const),
  fc.constantFrom('Ann', 'Bo', 'Cy').map((name) => ({ type: 'name.set', name }) as const),
  idArb.map((participantId) => ({ type: 'participant.remove', participantId }) as const),
  fc.boolean().map((locked) => ({ type: 'circle.lock', locked }) as const),
);

/** System commands, some resolved against the state at the time they run (a real awaySince / endsAt). */
type SystemSpec =
  | { type: 'join'; id: string; role: Role }
  | { type: 'return'; id: string; role: Role }
  | { type: 'leave'; id: string }
  | { type: 'grace'; id: string; current: boolean; awaySince: number }
  | { type: 'finish'; current: boolean; endsAt: number }
  | { type: 'restart' };

const systemSpecArb: fc.Arbitrary<SystemSpec> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ type: fc.constant('join' as const), id: idArb, role: roleArb }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('return' as const), id: idArb, role: roleArb }) },
  { weight: 3, arbitrary: fc.record({ type: fc.constant('leave' as const), id: idArb }) },
  {
    weight: 2,
    arbitrary: fc.record({ type: fc.constant('grace' as const), id: idArb, current: fc.boolean(), awaySince: fc.integer({ min: 0, max: 2_000_000 }) }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('finish' as const), current: fc.boolean(), endsAt: fc.integer({ min: 0, max: 2_000_000 }) }) },
  { weight: 1, arbitrary: fc.constant({ type: 'restart' as const }) },
);

type Step =
  | { kind: 'member'; actor: string; command: CircleCommand; dt: number }
  | { kind: 'system'; spec: SystemSpec; dt: number }
  /** Run one of the wake-ups scheduled so far, at its time (the scheduler of the server). */
  | { kind: 'fire'; pick: number; dt: number };

const dtArb = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 5_000, max: 60_000 }));

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('member' as const), actor: actorArb, command: memberCommandArb, dt: dtArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('system' as const), spec: systemSpecArb, dt: dtArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('fire' as const), pick: fc.nat(), dt: dtArb }) },
);

function resolve(state: CircleState, spec: SystemSpec, now: number): SystemCommand {
  switch (spec.type) {
    case 'join':
      return { type: 'member.join', participant: { id: spec.id, name: `N ${spec.id}`, role: spec.role } };
    case 'return':
      return { type: 'member.return', participantId: spec.id, role: spec.role };
    case 'leave':
      return { type: 'member.leave', participantId: spec.id };
    case 'grace': {
      const away = state.participants.find((p) => p.id === spec.id)?.awaySince;
      return { type: 'presence.grace-end', participantId: spec.id, awaySince: spec.current && away != null ? away : spec.awaySince };
    }
    case 'finish': {
      const endsAt = spec.current && state.timer.endsAt !== null ? state.timer.endsAt : spec.endsAt;
      return { type: 'timer.finish', endsAt };
    }
    case 'restart':
      return { type: 'server.restart' };
  }
}

function checkInvariants(before: CircleState, snapshot: CircleState, command: CircleCommand | SystemCommand, decision: Decision): CircleState {
  // decide never mutates its input, accepted or not.
  expect(before).toEqual(snapshot);
  if (!decision.ok) {
    expect('state' in decision).toBe(false);
    expect(['invalid', 'forbidden', 'not_found', 'conflict']).toContain(decision.rejection.code);
    return before;
  }
  const state = decision.state;
  if (decision.changed) {
    expect(state.version).toBe(before.version + 1);
    expect(state).not.toEqual({ ...before, version: before.version + 1 });
  } else {
    expect(state).toBe(before);
    expect(state.version).toBe(before.version);
  }

  expect(() => circleStateSchema.parse(state)).not.toThrow();

  const ids = state.participants.map((p) => p.id);
  expect(new Set(ids).size).toBe(ids.length);
  const seats = state.participants.map((p) => p.seat);
  expect(new Set(seats).size).toBe(seats.length);
  for (const p of state.participants) expect(p.connected).toBe(p.awaySince === null);

  // At most one holder, a member; none in open mode.
  const { holderId, queue, mode, since } = state.piece;
  if (holderId !== null) {
    expect(ids).toContain(holderId);
    expect(since).not.toBeNull();
  } else {
    expect(since).toBeNull();
  }
  if (mode === 'open') expect(holderId).toBeNull();

  // The queue: no duplicates, members only.
  expect(new Set(queue).size).toBe(queue.length);
  for (const id of queue) expect(ids).toContain(id);

  // The timer: endsAt exactly while running; remaining within the duration.
  expect(state.timer.running).toBe(state.timer.endsAt !== null);
  expect(state.timer.remainingMs).toBeGreaterThanOrEqual(0);
  expect(state.timer.remainingMs).toBeLessThanOrEqual(state.timer.durationMs);

  // media.permissions lists exactly the members (before and after) whose right to speak changed.
  const media = decision.effects.filter((e) => e.type === 'media.permissions');
  expect(media.length).toBeLessThanOrEqual(1);
  const listed = new Map(media.flatMap((e) => (e.type === 'media.permissions' ? e.changes : [])).map((c) => [c.participantId, c.maySpeak]));
  for (const p of state.participants) {
    if (!before.participants.some((q) => q.id === p.id)) {
      expect(listed.has(p.id)).toBe(false);
      continue;
    }
    const was = maySpeakById(before, p.id);
    const is = maySpeakById(state, p.id);
    if (was === is) expect(listed.has(p.id)).toBe(false);
    else expect(listed.get(p.id)).toBe(is);
  }
  for (const id of listed.keys()) expect(ids).toContain(id);

  // A grace end that matches the absence: the member holds no piece and has left the queue.
  if (command.type === 'presence.grace-end') {
    const away = before.participants.find((p) => p.id === command.participantId);
    if (away && !away.connected && away.awaySince === command.awaySince) {
      expect(state.piece.holderId).not.toBe(command.participantId);
      expect(state.piece.queue).not.toContain(command.participantId);
    }
  }
  return state;
}

describe('decide: properties over random command sequences', () => {
  it('keeps the circle invariants, versions and purity after every step', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TEMPLATE_KEYS),
        fc.array(stepArb, { minLength: 1, maxLength: 80, size: 'max' }),
        (template, steps) => {
          let now = 1_000_000;
          let state = createCircleState({ id: 'c', title: 'Circle', template, now });
          expect(() => circleStateSchema.parse(state)).not.toThrow();
          let pending: Array<{ at: number; command: SystemCommand }> = [];
          const run = (actor: string | null, command: CircleCommand | SystemCommand, at: number) => {
            const snapshot = structuredClone(state);
            const decision = decide(state, command, {
              actor: actor === null ? { kind: 'system' } : { kind: 'member', id: actor },
              now: at,
              holderGraceMs: GRACE_MS,
            });
            const before = state;
            state = checkInvariants(before, snapshot, command, decision);
            if (decision.ok) {
              // A restart loses the old process's wake-ups; the restart's own effects re-arm them.
              if (command.type === 'server.restart') pending = [];
              for (const effect of decision.effects) {
                if (effect.type === 'schedule') {
                  // Grace periods count from now (a leave or a start-up); a finish is due at its endsAt
                  // (possibly already past, after a restart).
                  if (effect.command.type === 'presence.grace-end') expect(effect.at).toBe(at + GRACE_MS);
                  else if (effect.command.type === 'timer.finish') expect(effect.at).toBe(effect.command.endsAt);
                  else expect.fail(`unexpected scheduled ${effect.command.type}`);
                  pending.push({ at: effect.at, command: effect.command });
                }
              }
            }
          };
          // Seat a facilitator and two participants first.
          run(null, { type: 'member.join', participant: { id: 'f1', name: 'F', role: 'facilitator' } }, now);
          run(null, { type: 'member.join', participant: { id: 'p1', name: 'P1', role: 'participant' } }, now);
          run(null, { type: 'member.join', participant: { id: 'p2', name: 'P2', role: 'participant' } }, now);
          for (const step of steps) {
            now += step.dt;
            if (step.kind === 'member') run(step.actor, step.command, now);
            else if (step.kind === 'system') run(null, resolve(state, step.spec, now), now);
            else if (pending.length > 0) {
              const [job] = pending.splice(step.pick % pending.length, 1);
              if (job) {
                now = Math.max(now, job.at);
                run(null, job.command, now);
              }
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is deterministic: the same command on the same state gives the same decision', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ actor: idArb, command: memberCommandArb }), { maxLength: 30 }), (steps) => {
        let state = createCircleState({ id: 'c', title: 'Circle', template: 'wtr-spiral', now: 0 });
        for (const id of IDS) {
          const d = decide(state, { type: 'member.join', participant: { id, name: id, role: id.startsWith('f') ? 'facilitator' : 'participant' } }, { actor: { kind: 'system' }, now: 0, holderGraceMs: GRACE_MS });
          if (d.ok) state = d.state;
        }
        let now = 1;
        for (const { actor, command } of steps) {
          const ctx = { actor: { kind: 'member', id: actor } as const, now: now++, holderGraceMs: GRACE_MS };
          const first = decide(state, command, ctx);
          const second = decide(state, command, ctx);
          expect(second).toEqual(first);
          if (first.ok) {
            if (!first.changed) expect(first.state).toBe(state);
            state = first.state;
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
