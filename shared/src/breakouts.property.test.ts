/**
 * Breakouts over many circles: group sizes for 0..40 people, and random sessions heavy in breakout
 * commands that keep the breakouts' invariants and the speaking rule.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formGroups, groupSizes } from './breakouts.js';
import { expectBreakoutTransition } from './breakouts-test-support.js';
import { createCircleState } from './circle.js';
import { commandSchema, type CircleCommand } from './commands.js';
import { decide, type SystemCommand } from './decide.js';
import { maySpeakById } from './speaking.js';
import { GROUPINGS, type CircleState } from './state.js';
import { makeCircle } from './test-support.js';

const GRACE_MS = 30_000;

/** The rule as we chose it: full groups, a remainder of 2+ its own group, a remainder of 1 joining one. */
const expectedGroupCount = (count: number, size: number) => (count === 0 ? 0 : Math.max(1, Math.floor(count / size) + (count % size >= 2 ? 1 : 0)));

describe('group sizes, for 0..40 people in pairs, triads and quads', () => {
  it('everyone in exactly one group; sizes differ by at most 1; no group of 1 unless alone; the count of groups by the rule', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 2, max: 4 }), fc.nat(), (count, size, seed) => {
        const ids = Array.from({ length: count }, (_, i) => `p${i}`);
        const groups = formGroups(ids, size, seed);
        expect(groups.flat().sort()).toEqual([...ids].sort());
        const sizes = groups.map((g) => g.length);
        expect(sizes).toEqual(groupSizes(count, size));
        expect(groups).toHaveLength(expectedGroupCount(count, size));
        if (count > 0) {
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
          if (count > 1) expect(Math.min(...sizes)).toBeGreaterThanOrEqual(2);
          // Never more than one extra member in a group.
          expect(Math.max(...sizes)).toBeLessThanOrEqual(size + 1);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('breakout.open without groups puts exactly the connected participants into groups, by those sizes', () => {
    const memberArb = fc.record({ role: fc.constantFrom('participant', 'participant', 'participant', 'facilitator' as const), connected: fc.boolean() });
    fc.assert(
      fc.property(fc.array(memberArb, { maxLength: 40 }), fc.integer({ min: 2, max: 4 }), fc.nat(), (members, size, seed) => {
        const state = makeCircle({ members: [{ id: 'host', role: 'facilitator' }, ...members.map((m, i) => ({ id: `m${i}`, role: m.role as 'participant' | 'facilitator', connected: m.connected }))] });
        const decision = decide(state, { type: 'breakout.open', size }, { actor: { kind: 'member', id: 'host' }, now: 5_000, holderGraceMs: GRACE_MS, seed });
        const here = state.participants.filter((p) => p.connected && p.role === 'participant').map((p) => p.id);
        if (here.length === 0) {
          expect(decision).toMatchObject({ ok: false, rejection: { code: 'conflict' } });
          return;
        }
        if (!decision.ok) return expect.fail(decision.rejection.message);
        expectBreakoutTransition(state, { type: 'breakout.open', size }, decision);
        const groups = decision.state.breakouts!.groups;
        expect(groups.map((g) => g.memberIds.length)).toEqual(groupSizes(here.length, size));
        expect(groups.flatMap((g) => g.memberIds).sort()).toEqual(here.sort());
      }),
      { numRuns: 300 },
    );
  });
});

const IDS = ['f1', 'f2', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'] as const;
const idArb = fc.constantFrom(...IDS, 'ghost');

/** Steps of a session in groups; the ones that need the state are resolved when they run. */
type Step =
  | { kind: 'command'; actor: string; command: CircleCommand }
  /** breakout.pass by the speaker of group `pick`, or a visit to group `pick`, or given groups from the members here. */
  | { kind: 'speaker-pass'; pick: number }
  | { kind: 'visit-existing'; actor: string; pick: number }
  /** A facilitator (a visiting one when there is one) steps down, or a participant is made a facilitator. */
  | { kind: 'role'; actor: string; pick: number; role: 'facilitator' | 'participant' }
  | { kind: 'open-given'; actor: string; seed: number; size: number; mode: 'turns' | 'open' }
  | { kind: 'system'; command: 'join' | 'leave' | 'return' | 'grace' | 'restart'; id: string }
  | { kind: 'fire'; pick: number };

const breakoutCommandArb: fc.Arbitrary<CircleCommand> = fc
  .oneof(
    { weight: 3, arbitrary: fc.record({ type: fc.constant('breakout.open'), size: fc.integer({ min: 2, max: 4 }), durationMs: fc.option(fc.integer({ min: 10_000, max: 120_000 }), { nil: undefined }), mode: fc.option(fc.constantFrom('turns', 'open'), { nil: undefined }), prompt: fc.option(fc.constantFrom('', 'Who are you?'), { nil: undefined }) }, { requiredKeys: ['type', 'size'] }) },
    fc.array(fc.array(idArb, { maxLength: 3 }), { maxLength: 3 }).map((groups) => ({ type: 'breakout.open', size: 2, groups })),
    { weight: 3, arbitrary: fc.constant({ type: 'breakout.swap' }) },
    { weight: 2, arbitrary: fc.constant({ type: 'breakout.pass' }) },
    fc.constantFrom('Two minutes', 'Swap now').map((text) => ({ type: 'breakout.broadcast', text })),
    fc.constantFrom(null, 'b1g1', 'nowhere').map((groupId) => ({ type: 'breakout.visit', groupId })),
    { weight: 2, arbitrary: fc.option(fc.constantFrom(0, 1_000, 30_000), { nil: undefined }).map((afterMs) => (afterMs === undefined ? { type: 'breakout.close' } : { type: 'breakout.close', afterMs })) },
    { weight: 3, arbitrary: fc.constant({ type: 'breakout.help' }) },
    fc.integer({ min: 0, max: 3 }).map((index) => ({ type: 'plan.go', index })),
    fc.record({ participantId: idArb, role: fc.constantFrom('facilitator', 'participant') }).map((c) => ({ type: 'participant.role', ...c })),
    idArb.map((participantId) => ({ type: 'participant.remove', participantId })),
    fc.constantFrom({ type: 'silence.start' }, { type: 'silence.end' }, { type: 'piece.mode', mode: 'open' }, { type: 'piece.mode', mode: 'round' }, { type: 'piece.pass' }),
  )
  .map((raw) => commandSchema.safeParse(raw))
  .filter((parsed) => parsed.success)
  .map((parsed) => parsed.data as CircleCommand);

const actorArb = fc.oneof({ weight: 3, arbitrary: fc.constant('f1') }, { weight: 3, arbitrary: idArb });

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('command' as const), actor: actorArb, command: breakoutCommandArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('speaker-pass' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('visit-existing' as const), actor: actorArb, pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('role' as const), actor: actorArb, pick: fc.nat(), role: fc.constantFrom('facilitator' as const, 'participant' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('open-given' as const), actor: actorArb, seed: fc.nat(), size: fc.integer({ min: 1, max: 4 }), mode: fc.constantFrom('turns' as const, 'open' as const) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('system' as const),
      command: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('join' as const, 'leave' as const, 'return' as const, 'grace' as const) }, { weight: 1, arbitrary: fc.constant('restart' as const) }),
      id: idArb,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('fire' as const), pick: fc.nat() }) },
);

/** Who may speak, as PROTOCOL.md v1.1 words it, independently of speaking.ts. */
function oracle(state: CircleState, id: string): boolean {
  const p = state.participants.find((q) => q.id === id);
  if (!p) return false;
  if (state.silence !== null) return false;
  const b = state.breakouts;
  if (b) {
    if (b.visits[id] !== undefined) return true;
    const group = b.groups.find((g) => g.memberIds.includes(id));
    if (group) return b.mode === 'open' || group.speakerId === id;
  }
  if (state.piece.mode === 'open') return true;
  return state.piece.holderId === id || (p.role === 'facilitator' && state.settings.facilitatorsMaySpeak);
}

function resolve(state: CircleState, step: Step): { actor: string | null; command: CircleCommand | SystemCommand } | null {
  switch (step.kind) {
    case 'command':
      return { actor: step.actor, command: step.command };
    case 'speaker-pass': {
      const speakers = (state.breakouts?.groups ?? []).map((g) => g.speakerId).filter((s): s is string => s !== null);
      const actor = speakers.length === 0 ? 'p1' : speakers[step.pick % speakers.length]!;
      return { actor, command: { type: 'breakout.pass' } };
    }
    case 'visit-existing': {
      const groups = state.breakouts?.groups ?? [];
      return { actor: step.actor, command: { type: 'breakout.visit', groupId: groups.length === 0 ? 'b1g1' : groups[step.pick % groups.length]!.id } };
    }
    case 'role': {
      const visitors = Object.keys(state.breakouts?.visits ?? {});
      const candidates = step.role === 'participant' && visitors.length > 0 ? visitors : state.participants.filter((p) => p.role !== step.role).map((p) => p.id);
      const target = candidates.length === 0 ? 'ghost' : candidates[step.pick % candidates.length]!;
      return { actor: step.actor, command: { type: 'participant.role', participantId: target, role: step.role } };
    }
    case 'open-given': {
      const here = state.participants.filter((p) => p.connected).map((p) => p.id);
      const groups = formGroups(here, Math.max(2, step.size), step.seed).slice(0, step.size);
      return { actor: step.actor, command: { type: 'breakout.open', size: 2, groups, mode: step.mode } };
    }
    case 'system': {
      const member = state.participants.find((p) => p.id === step.id);
      switch (step.command) {
        case 'join':
          return { actor: null, command: { type: 'member.join', participant: { id: step.id, name: step.id, role: step.id.startsWith('f') ? 'facilitator' : 'participant' } } };
        case 'leave':
          return { actor: null, command: { type: 'member.leave', participantId: step.id } };
        case 'return':
          return { actor: null, command: { type: 'member.return', participantId: step.id, role: 'participant' } };
        case 'grace':
          return { actor: null, command: { type: 'presence.grace-end', participantId: step.id, awaySince: member?.awaySince ?? 0 } };
        case 'restart':
          return { actor: null, command: { type: 'server.restart' } };
      }
      break;
    }
    case 'fire':
      return null;
  }
}

describe('random sessions in groups', () => {
  it('keep the breakouts’ invariants, one version per change, and the speaking rule', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(stepArb, fc.integer({ min: 0, max: 20_000 })), { minLength: 1, maxLength: 60, size: 'max' }), (steps) => {
        let now = 1_000_000;
        let state: CircleState = createCircleState({ id: 'c', title: 'Circle', template: 'wtr-spiral', now });
        // Steps 0..3 of the plan: pairs, triads, quads, the whole circle.
        state = {
          ...state,
          plan: {
            ...state.plan,
            steps: GROUPINGS.map((grouping, i) => ({ id: `step-${i + 1}`, title: grouping, stage: 'gratitude' as const, prompt: grouping, mode: 'round' as const, speakerTimeMs: null, durationMs: i === 0 ? 60_000 : null, grouping })).reverse(),
          },
        };
        const pending: Array<{ at: number; command: SystemCommand }> = [];
        const run = (actor: string | null, command: CircleCommand | SystemCommand) => {
          const decision = decide(state, command, { actor: actor === null ? { kind: 'system' } : { kind: 'member', id: actor }, now, holderGraceMs: GRACE_MS, seed: now });
          expectBreakoutTransition(state, command, decision);
          if (!decision.ok) return;
          if (decision.changed) expect(decision.state.version).toBe(state.version + 1);
          else expect(decision.state).toBe(state);
          if (command.type === 'server.restart') pending.length = 0;
          for (const effect of decision.effects) if (effect.type === 'schedule') pending.push({ at: effect.at, command: effect.command });
          state = decision.state;
          for (const p of state.participants) expect(maySpeakById(state, p.id)).toBe(oracle(state, p.id));
        };
        for (const id of IDS) run(null, { type: 'member.join', participant: { id, name: id, role: id.startsWith('f') ? 'facilitator' : 'participant' } });
        for (const [step, dt] of steps) {
          now += dt;
          if (step.kind === 'fire') {
            if (pending.length === 0) continue;
            const [job] = pending.splice(step.pick % pending.length, 1);
            now = Math.max(now, job!.at);
            run(null, job!.command);
            continue;
          }
          const resolved = resolve(state, step);
          if (resolved) run(resolved.actor, resolved.command);
        }
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});
