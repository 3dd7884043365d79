import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formGroups } from './breakouts.js';
import { expectBreakoutTransition } from './breakouts-test-support.js';
import { createCircleState } from './circle.js';
import { commandSchema, GESTURE_KINDS, type CircleCommand } from './commands.js';
import { decide, type Decision, type SystemCommand } from './decide.js';
import { maySpeakById } from './speaking.js';
import { STAGE_KEYS } from './stages.js';
import { GROUPINGS, PIECE_MODES, ROLES, circleStateSchema, type CircleState, type Role } from './state.js';
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

/** A plan step as `plan.set` takes it: sometimes naming an id the plan has (or had, or never had). */
const planStepArb = fc
  .record({
    id: fc.option(fc.constantFrom('step-1', 'step-2', 'step-3', 'step-6', 'step-99'), { nil: undefined }),
    title: fc.constantFrom('Arriving', 'Round', 'Pairs', 'Closing'),
    stage: fc.constantFrom(...STAGE_KEYS),
    prompt: fc.constantFrom('', 'Speak from the heart.'),
    mode: fc.constantFrom(...PIECE_MODES),
    speakerTimeMs: fc.option(fc.integer({ min: 10_000, max: 300_000 }), { nil: null }),
    durationMs: fc.option(fc.integer({ min: 10_000, max: 600_000 }), { nil: null }),
    grouping: fc.constantFrom(...GROUPINGS),
  })
  .map(({ id, ...step }) => (id === undefined ? step : { id, ...step }));

/**
 * v1.1 commands, as they come out of the transport's schema (`commandSchema` fills in defaults and
 * drops what it would refuse as `invalid`, such as two steps with the same id).
 */
const sessionCommandArb: fc.Arbitrary<CircleCommand> = fc
  .oneof(
    fc.array(planStepArb, { maxLength: 5 }).map((steps) => ({ type: 'plan.set', steps })),
    fc.integer({ min: 0, max: 8 }).map((index) => ({ type: 'plan.go', index })),
    { weight: 3, arbitrary: fc.constant({ type: 'plan.next' }) },
    fc.option(fc.constantFrom(1, 2, 3), { nil: undefined }).map((strikes) => (strikes === undefined ? { type: 'bell.ring' } : { type: 'bell.ring', strikes })),
    { weight: 2, arbitrary: fc.option(fc.integer({ min: 5_000, max: 120_000 }), { nil: undefined }).map((durationMs) => (durationMs === undefined ? { type: 'silence.start' } : { type: 'silence.start', durationMs })) },
    { weight: 2, arbitrary: fc.constant({ type: 'silence.end' }) },
    fc.constantFrom(...GESTURE_KINDS).map((kind) => ({ type: 'gesture.send', kind })),
    { weight: 2, arbitrary: fc.integer({ min: -600_000, max: 600_000 }).filter((ms) => ms !== 0).map((ms) => ({ type: 'timer.add', ms })) },
    fc.record({ participantId: idArb, role: roleArb }).map(({ participantId, role }) => ({ type: 'participant.role', participantId, role })),
    fc.constantFrom('Plant trees', 'Call my sister').map((text) => ({ type: 'intention.share', text })),
    fc.constant({ type: 'intention.withdraw' }),
    fc
      .record({ to: fc.option(idArb, { nil: undefined }), from: fc.option(fc.option(idArb, { nil: null }), { nil: undefined }) })
      .map(({ to, from }) => ({ type: 'piece.pass', ...(to === undefined ? {} : { to }), ...(from === undefined ? {} : { from }) })),
    // Breakouts (and the help call): given groups are mostly refused here (see `open-given` below).
    {
      weight: 3,
      arbitrary: fc
        .record(
          {
            size: fc.integer({ min: 2, max: 4 }),
            durationMs: fc.option(fc.integer({ min: 10_000, max: 120_000 }), { nil: undefined }),
            mode: fc.option(fc.constantFrom('turns', 'open'), { nil: undefined }),
            prompt: fc.option(fc.constantFrom('', 'Who are you?'), { nil: undefined }),
            groups: fc.option(fc.array(fc.array(idArb, { maxLength: 3 }), { maxLength: 3 }), { nil: undefined }),
          },
          { requiredKeys: ['size'] },
        )
        .map((fields) => ({ type: 'breakout.open', ...fields })),
    },
    fc.constant({ type: 'breakout.swap' }),
    { weight: 2, arbitrary: fc.constant({ type: 'breakout.pass' }) },
    fc.constantFrom('Two minutes', '  Swap now ').map((text) => ({ type: 'breakout.broadcast', text })),
    fc.constantFrom(null, 'nowhere').map((groupId) => ({ type: 'breakout.visit', groupId })),
    { weight: 2, arbitrary: fc.option(fc.constantFrom(0, 1_000, 30_000, 120_000), { nil: undefined }).map((afterMs) => (afterMs === undefined ? { type: 'breakout.close' } : { type: 'breakout.close', afterMs })) },
    fc.constant({ type: 'breakout.help' }),
  )
  .map((raw) => commandSchema.safeParse(raw))
  .filter((parsed) => parsed.success)
  .map((parsed) => parsed.data as CircleCommand);

/** System commands, some resolved against the state at the time they run (a real awaySince / endsAt). */
type SystemSpec =
  | { type: 'join'; id: string; role: Role }
  | { type: 'return'; id: string; role: Role }
  | { type: 'leave'; id: string }
  | { type: 'grace'; id: string; current: boolean; awaySince: number }
  | { type: 'finish'; current: boolean; endsAt: number }
  | { type: 'silence-finish'; current: boolean; endsAt: number }
  /** The breakouts' recall or return, for the breakouts open now (current) or for others. */
  | { type: 'breakout-wake'; which: 'recall' | 'finish'; current: boolean; at: number }
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
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant('silence-finish' as const), current: fc.boolean(), endsAt: fc.integer({ min: 0, max: 2_000_000 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant('breakout-wake' as const), which: fc.constantFrom('recall' as const, 'finish' as const), current: fc.boolean(), at: fc.integer({ min: 0, max: 2_000_000 }) }),
  },
  { weight: 1, arbitrary: fc.constant({ type: 'restart' as const }) },
);

/** Commands whose fields are read from the state at the time they run. */
type ResolvedSpec =
  /** `seats.order` with every member once (shuffled by `seed`), or a list broken in one way. */
  | { type: 'seats'; seed: number; broken: 'none' | 'drop' | 'twice' | 'ghost' }
  /** `piece.pass` with `from` the holder as it is now (fresh) or as it is not (stale). */
  | { type: 'pass-from'; fresh: boolean; to: string | undefined }
  /** `breakout.open` with groups cut from the members here now (facilitators too). */
  | { type: 'open-given'; seed: number; size: number; mode: 'turns' | 'open' }
  /** `breakout.visit` to a group open now (or to one that is not, when none is). */
  | { type: 'visit-existing'; pick: number };

const resolvedSpecArb: fc.Arbitrary<ResolvedSpec> = fc.oneof(
  fc.record({ type: fc.constant('seats' as const), seed: fc.nat(), broken: fc.constantFrom('none' as const, 'none' as const, 'drop' as const, 'twice' as const, 'ghost' as const) }),
  { weight: 2, arbitrary: fc.record({ type: fc.constant('pass-from' as const), fresh: fc.boolean(), to: fc.option(idArb, { nil: undefined }) }) },
  fc.record({ type: fc.constant('open-given' as const), seed: fc.nat(), size: fc.integer({ min: 1, max: 3 }), mode: fc.constantFrom('turns' as const, 'open' as const) }),
  { weight: 2, arbitrary: fc.record({ type: fc.constant('visit-existing' as const), pick: fc.nat() }) },
);

type Step =
  | { kind: 'member'; actor: string; command: CircleCommand; dt: number }
  | { kind: 'resolved'; actor: string; spec: ResolvedSpec; dt: number }
  | { kind: 'system'; spec: SystemSpec; dt: number }
  /** `breakout.pass` by the speaker of one of the groups open now. */
  | { kind: 'speaker-pass'; pick: number; dt: number }
  /** Run one of the wake-ups scheduled so far, at its time (the scheduler of the server). */
  | { kind: 'fire'; pick: number; dt: number };

const dtArb = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 5_000, max: 60_000 }));

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('member' as const), actor: actorArb, command: memberCommandArb, dt: dtArb }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('member' as const), actor: actorArb, command: sessionCommandArb, dt: dtArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('resolved' as const), actor: actorArb, spec: resolvedSpecArb, dt: dtArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('system' as const), spec: systemSpecArb, dt: dtArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('fire' as const), pick: fc.nat(), dt: dtArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('speaker-pass' as const), pick: fc.nat(), dt: dtArb }) },
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
    case 'silence-finish': {
      const endsAt = spec.current && state.silence?.endsAt != null ? state.silence.endsAt : spec.endsAt;
      return { type: 'silence.finish', endsAt };
    }
    case 'breakout-wake': {
      const b = state.breakouts;
      const at = spec.current && b ? ((spec.which === 'recall' ? b.endsAt : b.closingAt) ?? spec.at) : spec.at;
      return { type: spec.which === 'recall' ? 'breakout.recall' : 'breakout.finish', breakoutsId: spec.current && b ? b.id : 'b0', at };
    }
    case 'restart':
      return { type: 'server.restart' };
  }
}

function resolveMember(state: CircleState, spec: ResolvedSpec): CircleCommand {
  switch (spec.type) {
    case 'seats': {
      const ids = state.participants.map((p) => p.id);
      // A deterministic shuffle from the seed.
      let seed = spec.seed;
      for (let i = ids.length - 1; i > 0; i--) {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        const j = seed % (i + 1);
        [ids[i], ids[j]] = [ids[j]!, ids[i]!];
      }
      if (spec.broken === 'drop') ids.pop();
      if (spec.broken === 'twice' && ids.length > 0) ids.push(ids[0]!);
      if (spec.broken === 'ghost') ids.push('ghost');
      return { type: 'seats.order', participantIds: ids };
    }
    case 'pass-from': {
      const holder = state.piece.holderId;
      const from = spec.fresh ? holder : holder === null ? (state.participants[0]?.id ?? 'ghost') : null;
      return { type: 'piece.pass', from, ...(spec.to === undefined ? {} : { to: spec.to }) };
    }
    case 'open-given': {
      const here = state.participants.filter((p) => p.connected).map((p) => p.id);
      return { type: 'breakout.open', size: 2, mode: spec.mode, groups: formGroups(here, 2, spec.seed).slice(0, spec.size) };
    }
    case 'visit-existing': {
      const groups = state.breakouts?.groups ?? [];
      return { type: 'breakout.visit', groupId: groups.length === 0 ? 'b1g1' : groups[spec.pick % groups.length]!.id };
    }
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

  // v1.1: silence overrides every right to speak, facilitators' included.
  if (state.silence !== null) for (const p of state.participants) expect(maySpeakById(state, p.id)).toBe(false);

  // A pass that names a holder who no longer holds the piece changes nothing.
  if (command.type === 'piece.pass' && command.from !== undefined && command.from !== before.piece.holderId) {
    expect(decision.ok && decision.changed).toBe(false);
  }

  // Beginning a step is exactly one change, and the step joins the history.
  if (command.type === 'plan.go' || command.type === 'plan.next') {
    expect(decision.changed).toBe(true);
    expect(state.version).toBe(before.version + 1);
    expect(state.plan.history).toHaveLength(before.plan.history.length + 1);
    expect(state.plan.history.at(-1)?.stepId).toBe(state.plan.steps[state.plan.current!]?.id);
  }

  // The plan: a current step in range, ids unique.
  if (state.plan.current !== null) expect(state.plan.current).toBeLessThan(state.plan.steps.length);
  const stepIds = state.plan.steps.map((s) => s.id);
  expect(new Set(stepIds).size).toBe(stepIds.length);

  // Bells only count up.
  if (state.bell !== before.bell) expect(state.bell?.id).toBe((before.bell?.id ?? 0) + 1);

  // Intentions: at most one per member, members only; at least one facilitator once there was one.
  const sharers = state.intentions.map((i) => i.participantId);
  expect(new Set(sharers).size).toBe(sharers.length);
  for (const id of sharers) expect(ids).toContain(id);
  if (before.participants.some((p) => p.role === 'facilitator') && command.type !== 'participant.remove') {
    expect(state.participants.some((p) => p.role === 'facilitator')).toBe(true);
  }

  // Breakouts: members are seated, each in one group; no empty group; the turn a member's (or
  // nobody's in open mode); visits by facilitators to groups that exist; nobody added to a group.
  expectBreakoutTransition(before, command, decision);
  // A step in groups opens them in turns mode with its prompt, whenever someone is here to group.
  if ((command.type === 'plan.go' || command.type === 'plan.next') && state.plan.steps[state.plan.current!]!.grouping !== 'circle') {
    const step = state.plan.steps[state.plan.current!]!;
    if (before.participants.some((p) => p.connected && p.role === 'participant')) {
      expect(state.breakouts).toMatchObject({ mode: 'turns', prompt: step.prompt, endsAt: step.durationMs === null ? null : expect.any(Number) });
    } else {
      expect(state.breakouts).toBeNull();
    }
  }

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
              seed: at,
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
                  else if (effect.command.type === 'timer.finish' || effect.command.type === 'silence.finish') expect(effect.at).toBe(effect.command.endsAt);
                  else if (effect.command.type === 'breakout.recall' || effect.command.type === 'breakout.finish') expect(effect.at).toBe(effect.command.at);
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
            else if (step.kind === 'resolved') run(step.actor, resolveMember(state, step.spec), now);
            else if (step.kind === 'system') run(null, resolve(state, step.spec, now), now);
            else if (step.kind === 'speaker-pass') {
              const speakers = (state.breakouts?.groups ?? []).flatMap((g) => (g.speakerId === null ? [] : [g.speakerId]));
              run(speakers.length === 0 ? 'p1' : speakers[step.pick % speakers.length]!, { type: 'breakout.pass' }, now);
            }
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
    // Hundreds of random sessions: seconds of work, more on a busy two-core machine.
  }, 60_000);

  it('is deterministic: the same command on the same state gives the same decision', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ actor: idArb, command: fc.oneof(memberCommandArb, sessionCommandArb) }), { maxLength: 30 }), (steps) => {
        let state = createCircleState({ id: 'c', title: 'Circle', template: 'wtr-spiral', now: 0 });
        for (const id of IDS) {
          const d = decide(state, { type: 'member.join', participant: { id, name: id, role: id.startsWith('f') ? 'facilitator' : 'participant' } }, { actor: { kind: 'system' }, now: 0, holderGraceMs: GRACE_MS });
          if (d.ok) state = d.state;
        }
        let now = 1;
        for (const { actor, command } of steps) {
          const ctx = { actor: { kind: 'member', id: actor } as const, now: now++, holderGraceMs: GRACE_MS, seed: now * 7 };
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
  }, 60_000);
});
