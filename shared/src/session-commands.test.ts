import { describe, expect, it } from 'vitest';
import { commandSchema, type CircleCommand } from './commands.js';
import { BELL_LEAD_MS } from './bell.js';
import type { CircleState, PlanStep, TimerState } from './state.js';
import {
  act,
  expectAccepted,
  expectChanged,
  expectNoop,
  expectRejected,
  makeCircle,
  mediaChanges,
  member,
  NOW,
  standardCircle,
  T0,
} from './test-support.js';

/** v1.1 session commands (PROTOCOL.md "v1.1", first half, and its clarifications), decided by `decide`. */

const parse = (value: unknown) => commandSchema.safeParse(value);
/** A command as the transport hands it to `decide`: through the schema. */
const cmd = (value: unknown): CircleCommand => {
  const parsed = parse(value);
  if (!parsed.success) expect.fail(`expected a valid command: ${parsed.error.message}`);
  return parsed.data as CircleCommand;
};

/** A valid step for `plan.set`, without an id. */
const draft = (overrides: Record<string, unknown> = {}) => ({
  title: 'Round',
  stage: 'gratitude',
  prompt: 'Speak from the heart.',
  mode: 'round',
  speakerTimeMs: null,
  durationMs: null,
  grouping: 'circle',
  ...overrides,
});

const planStep = (id: string, overrides: Partial<PlanStep> = {}): PlanStep => ({
  id,
  title: `Step ${id}`,
  stage: 'gratitude',
  prompt: '',
  mode: 'round',
  speakerTimeMs: null,
  durationMs: null,
  grouping: 'circle',
  ...overrides,
});

const withPlan = (state: CircleState, steps: PlanStep[], current: number | null = null): CircleState => ({
  ...state,
  plan: { steps, current, history: [] },
});

const withTimer = (state: CircleState, timer: Partial<TimerState>): CircleState => ({ ...state, timer: { ...state.timer, ...timer } });

describe('plan.set: the schema', () => {
  it('takes 0 to 40 steps', () => {
    expect(parse({ type: 'plan.set', steps: [] }).success).toBe(true);
    expect(parse({ type: 'plan.set', steps: Array.from({ length: 40 }, () => draft()) }).success).toBe(true);
    expect(parse({ type: 'plan.set', steps: Array.from({ length: 41 }, () => draft()) }).success).toBe(false);
  });

  it('requires every field but id', () => {
    for (const field of ['title', 'stage', 'prompt', 'mode', 'speakerTimeMs', 'durationMs', 'grouping']) {
      const step: Record<string, unknown> = draft();
      delete step[field];
      expect(parse({ type: 'plan.set', steps: [step] }).success, field).toBe(false);
    }
    expect(parse({ type: 'plan.set', steps: [draft()] }).success).toBe(true);
    expect(parse({ type: 'plan.set', steps: [{ ...draft(), id: 'step-1' }] }).success).toBe(true);
  });

  it('refuses two steps with the same id', () => {
    expect(parse({ type: 'plan.set', steps: [{ ...draft(), id: 'step-1' }, { ...draft(), id: 'step-1' }] }).success).toBe(false);
    expect(parse({ type: 'plan.set', steps: [{ ...draft(), id: 'step-1' }, { ...draft(), id: 'step-2' }, draft(), draft()] }).success).toBe(true);
  });

  it('drops unknown fields', () => {
    const parsed = parse({ type: 'plan.set', steps: [{ ...draft(), colour: 'blue', id: 'step-1' }], extra: 1 });
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual({ type: 'plan.set', steps: [{ ...draft(), id: 'step-1' }] });
  });

  it('checks each field: lengths after trimming, ranges, enums', () => {
    const bad: Record<string, unknown>[] = [
      { title: '' },
      { title: '   ' },
      { title: 'x'.repeat(121) },
      { stage: 'harvest' },
      { prompt: 'x'.repeat(501) },
      { mode: 'fishbowl' },
      { speakerTimeMs: 9_999 },
      { speakerTimeMs: 1_800_001 },
      { speakerTimeMs: 60_000.5 },
      { durationMs: 999 },
      { durationMs: 14_400_001 },
      { grouping: 'sextets' },
    ];
    for (const override of bad) expect(parse({ type: 'plan.set', steps: [draft(override)] }).success, JSON.stringify(override)).toBe(false);
    const good: Record<string, unknown>[] = [
      { title: 'x'.repeat(120) },
      { title: `  ${'x'.repeat(120)}  ` },
      { prompt: '' },
      { prompt: 'x'.repeat(500) },
      { speakerTimeMs: 10_000 },
      { speakerTimeMs: 1_800_000 },
      { durationMs: 1_000 },
      { durationMs: 14_400_000 },
    ];
    for (const override of good) expect(parse({ type: 'plan.set', steps: [draft(override)] }).success, JSON.stringify(override)).toBe(true);
  });

  it('a step in groups lasts null or 10 s..60 min (the breakout range); in the circle 1 s..4 h', () => {
    for (const grouping of ['pairs', 'triads', 'quads']) {
      for (const durationMs of [null, 10_000, 3_600_000]) expect(parse({ type: 'plan.set', steps: [draft({ grouping, durationMs })] }).success).toBe(true);
      for (const durationMs of [1_000, 9_999, 3_600_001, 14_400_000]) {
        expect(parse({ type: 'plan.set', steps: [draft({ grouping, durationMs })] }).success, `${grouping} ${durationMs}`).toBe(false);
      }
    }
    expect(parse({ type: 'plan.set', steps: [draft({ grouping: 'circle', durationMs: 1_000 })] }).success).toBe(true);
    expect(parse({ type: 'plan.set', steps: [draft({ grouping: 'circle', durationMs: 3_600_001 })] }).success).toBe(true);
  });
});

describe('plan.set', () => {
  it('replaces the plan; new steps get fresh ids, a known id is kept', () => {
    const state = standardCircle(); // the WTR template's plan: step-1..step-7
    expect(state.plan.steps.map((s) => s.id)).toEqual(['step-1', 'step-2', 'step-3', 'step-4', 'step-5', 'step-6', 'step-7']);
    const command = cmd({ type: 'plan.set', steps: [draft({ title: 'New' }), { ...draft({ title: 'Kept' }), id: 'step-3' }, draft({ title: 'Also new' })] });
    const { state: next } = expectChanged(state, act(state, 'f', command));
    expect(next.plan.steps.map((s) => [s.id, s.title])).toEqual([
      ['step-8', 'New'],
      ['step-3', 'Kept'],
      ['step-9', 'Also new'],
    ]);
    expect(next.plan.steps[1]).toEqual({ id: 'step-3', ...draft({ title: 'Kept' }) });
  });

  it('an id that matches no step gets a new id', () => {
    const state = standardCircle();
    const { state: next } = expectChanged(state, act(state, 'f', cmd({ type: 'plan.set', steps: [{ ...draft(), id: 'step-42' }, { ...draft(), id: 'mine' }] })));
    const ids = next.plan.steps.map((s) => s.id);
    expect(ids).not.toContain('step-42');
    expect(ids).not.toContain('mine');
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) expect(state.plan.steps.map((s) => s.id)).not.toContain(id);
  });

  it('never gives a new step the id of a step the history names', () => {
    const begun = expectAccepted(act(standardCircle(), 'f', { type: 'plan.go', index: 6 })).state; // step-7 begun
    const emptied = expectAccepted(act(begun, 'f', cmd({ type: 'plan.set', steps: [] }))).state;
    expect(emptied.plan).toMatchObject({ steps: [], current: null });
    const { state: next } = expectChanged(emptied, act(emptied, 'f', cmd({ type: 'plan.set', steps: [draft()] })));
    expect(next.plan.steps[0]?.id).toBe('step-8');
  });

  it('keeps current pointing at the current step when its id is still there, wherever it moved', () => {
    const state = withPlan(standardCircle(), [planStep('step-1'), planStep('step-2'), planStep('step-3')], 1);
    const command = cmd({ type: 'plan.set', steps: [{ ...draft(), id: 'step-3' }, draft(), { ...draft(), id: 'step-2' }] });
    const { state: next } = expectChanged(state, act(state, 'f', command));
    expect(next.plan.current).toBe(2);
    expect(next.plan.steps[2]?.id).toBe('step-2');
  });

  it('current becomes null when the current step is gone, and stays null when none had begun', () => {
    const state = withPlan(standardCircle(), [planStep('step-1'), planStep('step-2')], 1);
    const { state: next } = expectChanged(state, act(state, 'f', cmd({ type: 'plan.set', steps: [{ ...draft(), id: 'step-1' }, draft()] })));
    expect(next.plan.current).toBeNull();
    const notStarted = withPlan(standardCircle(), [planStep('step-1')], null);
    const { state: after } = expectChanged(notStarted, act(notStarted, 'f', cmd({ type: 'plan.set', steps: [{ ...draft(), id: 'step-1' }] })));
    expect(after.plan.current).toBeNull();
  });

  it('does not begin anything: stage, piece and timer are untouched, the history kept', () => {
    const state = standardCircle({ holderId: 'a' });
    const { state: next } = expectChanged(state, act(state, 'f', cmd({ type: 'plan.set', steps: [draft({ mode: 'open', durationMs: 60_000 })] })));
    expect(next.stage).toEqual(state.stage);
    expect(next.piece).toEqual(state.piece);
    expect(next.timer).toEqual(state.timer);
    expect(next.plan.history).toEqual(state.plan.history);
  });

  it('setting the same plan again changes nothing', () => {
    const state = withPlan(standardCircle(), [planStep('step-1', { title: 'One', prompt: 'p' })], 0);
    const { id: _id, ...same } = state.plan.steps[0]!;
    expectNoop(state, act(state, 'f', cmd({ type: 'plan.set', steps: [{ ...same, id: 'step-1' }] })));
  });

  it('a participant is forbidden', () => {
    const state = standardCircle();
    expectRejected(act(state, 'a', cmd({ type: 'plan.set', steps: [] })), 'forbidden');
  });
});

describe('plan.go', () => {
  const steps = [
    planStep('s1', { title: 'Arriving', stage: 'gratitude', mode: 'round', speakerTimeMs: 60_000, durationMs: null }),
    planStep('s2', { title: 'Truth Mandala', stage: 'honoring-pain', mode: 'popcorn', speakerTimeMs: null, durationMs: 600_000 }),
    planStep('s3', { title: 'Open talk', stage: 'new-eyes', mode: 'open', speakerTimeMs: 30_000, durationMs: 300_000 }),
  ];

  it('an index out of range is not_found and changes nothing', () => {
    const state = withPlan(standardCircle(), steps);
    expectRejected(act(state, 'f', { type: 'plan.go', index: 3 }), 'not_found');
    const empty = withPlan(standardCircle(), []);
    expectRejected(act(empty, 'f', { type: 'plan.go', index: 0 }), 'not_found');
    expect(parse({ type: 'plan.go', index: -1 }).success).toBe(false);
    expect(parse({ type: 'plan.go', index: 1.5 }).success).toBe(false);
  });

  it('a participant is forbidden, even for an index out of range', () => {
    const state = withPlan(standardCircle(), steps);
    expectRejected(act(state, 'a', { type: 'plan.go', index: 0 }), 'forbidden');
    expectRejected(act(state, 'a', { type: 'plan.go', index: 99 }), 'forbidden');
  });

  it('begins the step as one change: current, stage (same cycle), mode, speaker time, timer, history', () => {
    const base = withPlan(standardCircle({ holderId: 'a' }), steps);
    const state: CircleState = { ...base, stage: { key: 'going-forth', cycle: 3, since: T0 } };
    const decision = act(state, 'f', { type: 'plan.go', index: 1 }, NOW);
    const { state: next, effects } = expectChanged(state, decision);
    expect(next.plan.current).toBe(1);
    expect(next.stage).toEqual({ key: 'honoring-pain', cycle: 3, since: NOW });
    expect(next.piece).toMatchObject({ mode: 'popcorn', holderId: 'a' }); // round -> popcorn keeps the holder
    expect(next.settings.speakerTimeMs).toBe(state.settings.speakerTimeMs); // null keeps the circle's
    expect(next.timer).toEqual({ label: 'Truth Mandala', durationMs: 600_000, running: true, endsAt: NOW + 600_000, remainingMs: 600_000 });
    expect(effects).toContainEqual({ type: 'schedule', at: NOW + 600_000, command: { type: 'timer.finish', endsAt: NOW + 600_000 } });
    expect(next.plan.history).toEqual([{ stepId: 's2', title: 'Truth Mandala', startedAt: NOW }]);
  });

  it('a step in the current stage keeps the stage as it is', () => {
    const state = withPlan(standardCircle(), steps);
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'plan.go', index: 0 }));
    expect(next.stage).toBe(state.stage);
  });

  it('sets the speaker time when the step has one', () => {
    const state = withPlan(standardCircle(), steps);
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'plan.go', index: 0 }));
    expect(next.settings.speakerTimeMs).toBe(60_000);
  });

  it('into an open step: the holder is cleared and everyone may speak', () => {
    const state = withPlan(standardCircle({ holderId: 'a' }), steps);
    const { state: next, effects } = expectChanged(state, act(state, 'f', { type: 'plan.go', index: 2 }));
    expect(next.piece).toMatchObject({ mode: 'open', holderId: null, since: null });
    expect(mediaChanges(effects)).toEqual([
      { participantId: 'b', maySpeak: true },
      { participantId: 'c', maySpeak: true },
    ]);
  });

  it('out of open into a round step: the piece waits in the centre', () => {
    const state = withPlan(standardCircle({ mode: 'open' }), steps);
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'plan.go', index: 0 }));
    expect(next.piece).toMatchObject({ mode: 'round', holderId: null, since: null });
  });

  it('a step without durationMs resets the timer to idle, as timer.reset does', () => {
    const running = withTimer(withPlan(standardCircle(), steps), { label: 'Before', durationMs: 120_000, running: true, endsAt: NOW + 50_000, remainingMs: 120_000 });
    const { state: next, effects } = expectChanged(running, act(running, 'f', { type: 'plan.go', index: 0 }));
    const reset = expectAccepted(act(running, 'f', { type: 'timer.reset' })).state;
    expect(next.timer).toEqual(reset.timer);
    expect(next.timer).toEqual({ label: 'Before', durationMs: 120_000, running: false, endsAt: null, remainingMs: 120_000 });
    expect(effects.filter((e) => e.type === 'schedule')).toEqual([]);
  });

  it('beginning the same step again is a change: it starts over and joins the history again', () => {
    const state = withPlan(standardCircle(), steps);
    const once = expectChanged(state, act(state, 'f', { type: 'plan.go', index: 1 }, NOW)).state;
    const twice = expectChanged(once, act(once, 'f', { type: 'plan.go', index: 1 }, NOW + 5_000)).state;
    expect(twice.timer.endsAt).toBe(NOW + 5_000 + 600_000);
    expect(twice.plan.history.map((h) => [h.stepId, h.startedAt])).toEqual([
      ['s2', NOW],
      ['s2', NOW + 5_000],
    ]);
  });

  it('closes open breakouts', () => {
    const state: CircleState = {
      ...withPlan(standardCircle(), steps),
      breakouts: { id: 'b1', prompt: '', mode: 'turns', groups: [{ id: 'g1', memberIds: ['a', 'b'], speakerId: 'a', helpAt: null }], message: null, visits: {}, endsAt: null, closingAt: null },
    };
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'plan.go', index: 0 }));
    expect(next.breakouts).toBeNull();
  });
});

describe('plan.next', () => {
  const steps = [planStep('s1'), planStep('s2', { mode: 'popcorn' })];

  it('from no current step begins the first', () => {
    const state = withPlan(standardCircle(), steps);
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'plan.next' }));
    expect(next.plan.current).toBe(0);
    expect(next.plan.history.map((h) => h.stepId)).toEqual(['s1']);
  });

  it('begins the step after the current one, exactly as plan.go would', () => {
    const state = withPlan(standardCircle(), steps, 0);
    const viaNext = expectChanged(state, act(state, 'f', { type: 'plan.next' }));
    const viaGo = expectChanged(state, act(state, 'f', { type: 'plan.go', index: 1 }));
    expect(viaNext.state).toEqual(viaGo.state);
    expect(viaNext.effects).toEqual(viaGo.effects);
    expect(viaNext.state.piece.mode).toBe('popcorn');
  });

  it('past the last step is conflict and changes nothing; an empty plan too', () => {
    const state = withPlan(standardCircle(), steps, 1);
    expectRejected(act(state, 'f', { type: 'plan.next' }), 'conflict');
    expectRejected(act(withPlan(standardCircle(), []), 'f', { type: 'plan.next' }), 'conflict');
  });

  it('a participant is forbidden', () => {
    expectRejected(act(withPlan(standardCircle(), steps), 'a', { type: 'plan.next' }), 'forbidden');
  });
});

describe('bell.ring', () => {
  it('the first bell has id 1 and sounds at now + 300 ms', () => {
    const state = standardCircle();
    expect(state.bell).toBeNull();
    const { state: next } = expectChanged(state, act(state, 'f', cmd({ type: 'bell.ring', strikes: 3 }), NOW));
    expect(BELL_LEAD_MS).toBe(300);
    expect(next.bell).toEqual({ id: 1, strikes: 3, at: NOW + 300 });
  });

  it('each bell has the previous id + 1, even with the same strikes at the same time', () => {
    const state: CircleState = { ...standardCircle(), bell: { id: 41, strikes: 1, at: NOW + 300 } };
    const { state: next } = expectChanged(state, act(state, 'f', cmd({ type: 'bell.ring', strikes: 1 }), NOW));
    expect(next.bell).toEqual({ id: 42, strikes: 1, at: NOW + 300 });
  });

  it('strikes default to 1 and are 1..3', () => {
    expect(cmd({ type: 'bell.ring' })).toEqual({ type: 'bell.ring', strikes: 1 });
    for (const strikes of [0, 4, 1.5, '2']) expect(parse({ type: 'bell.ring', strikes }).success).toBe(false);
    const state = standardCircle();
    expect(expectChanged(state, act(state, 'f', cmd({ type: 'bell.ring' }))).state.bell?.strikes).toBe(1);
  });

  it('a participant is forbidden', () => {
    expectRejected(act(standardCircle(), 'a', cmd({ type: 'bell.ring' })), 'forbidden');
  });
});

describe('silence.start and silence.end', () => {
  it('without durationMs: silence from now with no end, and no wake-up', () => {
    const state = standardCircle();
    const { state: next, effects } = expectChanged(state, act(state, 'f', cmd({ type: 'silence.start' }), NOW));
    expect(next.silence).toEqual({ since: NOW, endsAt: null });
    expect(effects.filter((e) => e.type === 'schedule')).toEqual([]);
  });

  it('with durationMs: ends at now + durationMs, and a wake-up is scheduled then', () => {
    const state = standardCircle();
    const { state: next, effects } = expectChanged(state, act(state, 'f', cmd({ type: 'silence.start', durationMs: 60_000 }), NOW));
    expect(next.silence).toEqual({ since: NOW, endsAt: NOW + 60_000 });
    expect(effects).toContainEqual({ type: 'schedule', at: NOW + 60_000, command: { type: 'silence.finish', endsAt: NOW + 60_000 } });
  });

  it('durationMs is an integer 5 000..1 800 000', () => {
    for (const durationMs of [5_000, 1_800_000]) expect(parse({ type: 'silence.start', durationMs }).success).toBe(true);
    for (const durationMs of [4_999, 1_800_001, 0, -5_000, 6_000.5, null]) expect(parse({ type: 'silence.start', durationMs }).success, String(durationMs)).toBe(false);
  });

  it('during a silence, silence.start replaces it', () => {
    const state: CircleState = { ...standardCircle(), silence: { since: NOW - 10_000, endsAt: NOW + 50_000 } };
    const { state: next } = expectChanged(state, act(state, 'f', cmd({ type: 'silence.start' }), NOW));
    expect(next.silence).toEqual({ since: NOW, endsAt: null });
  });

  it('takes every right to speak away, the holder and facilitators included', () => {
    const state = standardCircle({ holderId: 'a' });
    const { effects } = expectChanged(state, act(state, 'f', cmd({ type: 'silence.start' })));
    expect(mediaChanges(effects)).toEqual([
      { participantId: 'f', maySpeak: false },
      { participantId: 'a', maySpeak: false },
    ]);
  });

  it('silence.end: silence is over and one bell rings', () => {
    const state: CircleState = { ...standardCircle({ holderId: 'a' }), silence: { since: NOW - 10_000, endsAt: null }, bell: { id: 2, strikes: 3, at: T0 } };
    const { state: next, effects } = expectChanged(state, act(state, 'f', { type: 'silence.end' }, NOW));
    expect(next.silence).toBeNull();
    expect(next.bell).toEqual({ id: 3, strikes: 1, at: NOW + 300 });
    expect(mediaChanges(effects)).toEqual([
      { participantId: 'f', maySpeak: true },
      { participantId: 'a', maySpeak: true },
    ]);
  });

  it('silence.end with no silence is conflict', () => {
    expectRejected(act(standardCircle(), 'f', { type: 'silence.end' }), 'conflict');
  });

  it('a participant is forbidden to start or end a silence', () => {
    const state: CircleState = { ...standardCircle(), silence: { since: NOW, endsAt: null } };
    expectRejected(act(standardCircle(), 'a', cmd({ type: 'silence.start' })), 'forbidden');
    expectRejected(act(state, 'a', { type: 'silence.end' }), 'forbidden');
    expectRejected(act(standardCircle(), 'a', { type: 'silence.end' }), 'forbidden'); // forbidden before conflict
  });
});

describe('gesture.send', () => {
  it('changes nothing and carries from, kind and at to everyone', () => {
    const state = standardCircle({ version: 12 });
    const decision = act(state, 'b', cmd({ type: 'gesture.send', kind: 'hear' }), NOW);
    const accepted = expectAccepted(decision);
    expect(accepted.changed).toBe(false);
    expect(accepted.state).toBe(state);
    expect(accepted.state.version).toBe(12);
    expect(accepted.effects).toEqual([{ type: 'gesture', gesture: { from: 'b', kind: 'hear', at: NOW } }]);
  });

  it('any member may send any of the three kinds; nothing else', () => {
    for (const kind of ['heart', 'hear', 'thanks'] as const) {
      for (const actor of ['f', 'a']) {
        const accepted = expectAccepted(act(standardCircle(), actor, cmd({ type: 'gesture.send', kind })));
        expect(accepted.effects).toEqual([{ type: 'gesture', gesture: { from: actor, kind, at: NOW } }]);
      }
    }
    expect(parse({ type: 'gesture.send', kind: 'clap' }).success).toBe(false);
    expect(parse({ type: 'gesture.send' }).success).toBe(false);
  });

  it('during silence too: a gesture is silent', () => {
    const state: CircleState = { ...standardCircle(), silence: { since: NOW, endsAt: null } };
    expect(expectAccepted(act(state, 'c', cmd({ type: 'gesture.send', kind: 'heart' }))).effects).toHaveLength(1);
  });
});

describe('seats.order', () => {
  it('seats become 0, 1, 2… in the order given', () => {
    const state = standardCircle({ away: ['b'] });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'seats.order', participantIds: ['c', 'b', 'f', 'a'] }));
    expect(Object.fromEntries(next.participants.map((p) => [p.id, p.seat]))).toEqual({ c: 0, b: 1, f: 2, a: 3 });
    // The round follows the new seats.
    const passed = expectAccepted(act({ ...next, piece: { ...next.piece, holderId: 'c', since: NOW } }, 'f', { type: 'piece.pass' }));
    expect(passed.state.piece.holderId).toBe('f'); // b (seat 1) is away
  });

  it('anything but every member exactly once is invalid', () => {
    const state = standardCircle({ away: ['b'] });
    const lists = [[], ['f', 'a', 'c'], ['f', 'a', 'b', 'c', 'c'], ['f', 'a', 'b', 'c', 'ghost'], ['f', 'a', 'b', 'ghost'], ['f', 'a', 'a', 'c']];
    for (const participantIds of lists) expectRejected(act(state, 'f', { type: 'seats.order', participantIds }), 'invalid');
  });

  it('invalid comes before forbidden: a participant with a bad list is invalid, with a good one forbidden', () => {
    const state = standardCircle();
    expectRejected(act(state, 'a', { type: 'seats.order', participantIds: ['a'] }), 'invalid');
    expectRejected(act(state, 'a', { type: 'seats.order', participantIds: ['a', 'f', 'b', 'c'] }), 'forbidden');
  });

  it('the order the seats already have changes nothing', () => {
    const state = makeCircle({
      members: [
        { id: 'f', role: 'facilitator', seat: 0 },
        { id: 'a', seat: 1 },
      ],
    });
    expectNoop(state, act(state, 'f', { type: 'seats.order', participantIds: ['f', 'a'] }));
  });
});

describe('timer.add', () => {
  const running = (endsAt = NOW + 30_000) => withTimer(standardCircle(), { label: 'Round', durationMs: 60_000, running: true, endsAt, remainingMs: 60_000 });
  const paused = (remainingMs = 20_000) => withTimer(standardCircle(), { label: 'Round', durationMs: 60_000, running: false, endsAt: null, remainingMs });

  it('ms is an integer -600 000..600 000, not 0', () => {
    for (const ms of [1, -1, 600_000, -600_000]) expect(parse({ type: 'timer.add', ms }).success).toBe(true);
    for (const ms of [0, 600_001, -600_001, 1.5]) expect(parse({ type: 'timer.add', ms }).success, String(ms)).toBe(false);
  });

  it('running: endsAt moves by ms and the finish wake-up is re-armed there', () => {
    const state = running();
    const { state: next, effects } = expectChanged(state, act(state, 'f', { type: 'timer.add', ms: 60_000 }, NOW));
    expect(next.timer).toMatchObject({ running: true, endsAt: NOW + 90_000, label: 'Round' });
    expect(effects).toContainEqual({ type: 'schedule', at: NOW + 90_000, command: { type: 'timer.finish', endsAt: NOW + 90_000 } });
    // The old wake-up no longer finishes it.
    expectNoop(next, act(next, 'system', { type: 'timer.finish', endsAt: NOW + 30_000 }, NOW + 30_000));
    const earlier = expectChanged(state, act(state, 'f', { type: 'timer.add', ms: -20_000 }, NOW)).state;
    expect(earlier.timer.endsAt).toBe(NOW + 10_000);
  });

  it('running: endsAt never moves before now + 1 000', () => {
    const state = running(NOW + 5_000);
    const { state: next, effects } = expectChanged(state, act(state, 'f', { type: 'timer.add', ms: -600_000 }, NOW));
    expect(next.timer.endsAt).toBe(NOW + 1_000);
    expect(effects).toContainEqual({ type: 'schedule', at: NOW + 1_000, command: { type: 'timer.finish', endsAt: NOW + 1_000 } });
  });

  it('running: the value it resumed from never exceeds its duration after time is taken off', () => {
    const state = running(NOW + 60_000); // started just now: 60 s left of 60 s
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'timer.add', ms: -1 }, NOW));
    expect(next.timer.endsAt).toBe(NOW + 59_999);
    expect(next.timer.remainingMs).toBeLessThanOrEqual(next.timer.durationMs);
    expect(next.timer.durationMs).toBeGreaterThanOrEqual(next.timer.endsAt! - NOW);
  });

  it('paused: remainingMs changes by ms, never below 1 000, and stays paused', () => {
    const state = paused(20_000);
    const more = expectChanged(state, act(state, 'f', { type: 'timer.add', ms: 30_000 })).state;
    expect(more.timer).toMatchObject({ running: false, endsAt: null, remainingMs: 50_000 });
    const less = expectChanged(state, act(state, 'f', { type: 'timer.add', ms: -15_000 })).state;
    expect(less.timer.remainingMs).toBe(5_000);
    const floor = expectChanged(state, act(state, 'f', { type: 'timer.add', ms: -600_000 })).state;
    expect(floor.timer.remainingMs).toBe(1_000);
    expect(floor.timer.remainingMs).toBeLessThanOrEqual(floor.timer.durationMs);
    const { effects } = expectChanged(state, act(state, 'f', { type: 'timer.add', ms: 30_000 }));
    expect(effects.filter((e) => e.type === 'schedule')).toEqual([]);
    // It resumes from what it was given.
    const resumed = expectChanged(more, act(more, 'f', { type: 'timer.resume' }, NOW)).state;
    expect(resumed.timer.endsAt).toBe(NOW + 50_000);
  });

  it('a reset timer (stopped with time left) takes the change too', () => {
    const state = withTimer(standardCircle(), { durationMs: 60_000, running: false, endsAt: null, remainingMs: 60_000 });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'timer.add', ms: 60_000 }));
    expect(next.timer.remainingMs).toBe(120_000);
  });

  it('never started, or finished: conflict', () => {
    const idle = standardCircle();
    expect(idle.timer.durationMs).toBe(0);
    expectRejected(act(idle, 'f', { type: 'timer.add', ms: 60_000 }), 'conflict');
    const finished = withTimer(standardCircle(), { durationMs: 60_000, running: false, endsAt: null, remainingMs: 0 });
    expectRejected(act(finished, 'f', { type: 'timer.add', ms: 60_000 }), 'conflict');
  });

  it('a participant is forbidden', () => {
    expectRejected(act(running(), 'a', { type: 'timer.add', ms: 60_000 }), 'forbidden');
    expectRejected(act(standardCircle(), 'a', { type: 'timer.add', ms: 60_000 }), 'forbidden'); // before conflict
  });
});

describe('participant.role', () => {
  it('promotes a participant to co-facilitator (who may then speak, as facilitators may)', () => {
    const state = standardCircle({ holderId: 'a' });
    const { state: next, effects } = expectChanged(state, act(state, 'f', { type: 'participant.role', participantId: 'b', role: 'facilitator' }));
    expect(member(next, 'b').role).toBe('facilitator');
    expect(mediaChanges(effects)).toEqual([{ participantId: 'b', maySpeak: true }]);
    // The new co-facilitator may now do what facilitators do.
    expectChanged(next, act(next, 'b', { type: 'stage.advance' }));
  });

  it('demotes a facilitator while another remains, oneself included', () => {
    const state = makeCircle({
      members: [
        { id: 'f', role: 'facilitator' },
        { id: 'g', role: 'facilitator', connected: false },
        { id: 'a' },
      ],
    });
    const other = expectChanged(state, act(state, 'f', { type: 'participant.role', participantId: 'g', role: 'participant' })).state;
    expect(member(other, 'g').role).toBe('participant');
    const self = expectChanged(state, act(state, 'f', { type: 'participant.role', participantId: 'f', role: 'participant' })).state;
    expect(member(self, 'f').role).toBe('participant');
  });

  it('the last facilitator cannot step down: conflict', () => {
    const state = standardCircle();
    expectRejected(act(state, 'f', { type: 'participant.role', participantId: 'f', role: 'participant' }), 'conflict');
  });

  it('an unknown member is not_found; giving the role someone has changes nothing', () => {
    const state = standardCircle();
    expectRejected(act(state, 'f', { type: 'participant.role', participantId: 'ghost', role: 'facilitator' }), 'not_found');
    expectNoop(state, act(state, 'f', { type: 'participant.role', participantId: 'a', role: 'participant' }));
    expectNoop(state, act(state, 'f', { type: 'participant.role', participantId: 'f', role: 'facilitator' }));
  });

  it('a participant is forbidden, before not_found', () => {
    const state = standardCircle();
    expectRejected(act(state, 'a', { type: 'participant.role', participantId: 'a', role: 'facilitator' }), 'forbidden');
    expectRejected(act(state, 'a', { type: 'participant.role', participantId: 'ghost', role: 'facilitator' }), 'forbidden');
    expect(parse({ type: 'participant.role', participantId: 'a', role: 'host' }).success).toBe(false);
  });
});

describe('intentions (extension)', () => {
  it('share: one intention per member, trimmed, with the time', () => {
    const state = standardCircle();
    const command = cmd({ type: 'intention.share', text: '  Plant a hedge  ' });
    const { state: next } = expectChanged(state, act(state, 'a', command, NOW));
    expect(next.intentions).toEqual([{ participantId: 'a', text: 'Plant a hedge', at: NOW }]);
    expect(parse({ type: 'intention.share', text: '   ' }).success).toBe(false);
    expect(parse({ type: 'intention.share', text: 'x'.repeat(501) }).success).toBe(false);
    expect(parse({ type: 'intention.share', text: 'x'.repeat(500) }).success).toBe(true);
  });

  it('sharing again replaces one’s own, and leaves others’ alone', () => {
    const state: CircleState = {
      ...standardCircle(),
      intentions: [
        { participantId: 'a', text: 'First', at: T0 },
        { participantId: 'b', text: 'Mine', at: T0 },
      ],
    };
    const { state: next } = expectChanged(state, act(state, 'a', cmd({ type: 'intention.share', text: 'Second' }), NOW));
    expect(next.intentions).toEqual([
      { participantId: 'b', text: 'Mine', at: T0 },
      { participantId: 'a', text: 'Second', at: NOW },
    ]);
    expectNoop(next, act(next, 'a', cmd({ type: 'intention.share', text: 'Second' }), NOW + 1_000));
  });

  it('withdraw takes back one’s own; with none, nothing changes', () => {
    const state: CircleState = {
      ...standardCircle(),
      intentions: [
        { participantId: 'a', text: 'First', at: T0 },
        { participantId: 'b', text: 'Mine', at: T0 },
      ],
    };
    const { state: next } = expectChanged(state, act(state, 'b', { type: 'intention.withdraw' }));
    expect(next.intentions).toEqual([{ participantId: 'a', text: 'First', at: T0 }]);
    expectNoop(next, act(next, 'b', { type: 'intention.withdraw' }));
  });

  it('a removed member’s intention goes with them; an away member keeps theirs', () => {
    const state: CircleState = {
      ...standardCircle(),
      intentions: [
        { participantId: 'a', text: 'First', at: T0 },
        { participantId: 'b', text: 'Mine', at: T0 },
      ],
    };
    const removed = expectChanged(state, act(state, 'f', { type: 'participant.remove', participantId: 'a' })).state;
    expect(removed.intentions).toEqual([{ participantId: 'b', text: 'Mine', at: T0 }]);
    const away = expectChanged(state, act(state, 'system', { type: 'member.leave', participantId: 'b' })).state;
    expect(away.intentions).toEqual(state.intentions);
  });
});

describe('timer.add near the longest timer', () => {
  it('never takes a timer past 4 hours, running or paused', () => {
    const running = { ...standardCircle(), timer: { label: '', durationMs: 14_400_000, running: true, endsAt: NOW + 14_100_000, remainingMs: 14_400_000 } };
    const { state: more } = expectChanged(running, act(running, 'f', { type: 'timer.add', ms: 600_000 }));
    expect(more.timer.endsAt).toBe(NOW + 14_400_000);
    expect(more.timer.durationMs).toBe(14_400_000);
    const paused = { ...standardCircle(), timer: { label: '', durationMs: 14_400_000, running: false, endsAt: null, remainingMs: 14_000_000 } };
    const { state: after } = expectChanged(paused, act(paused, 'f', { type: 'timer.add', ms: 600_000 }));
    expect(after.timer.remainingMs).toBe(14_400_000);
    expect(after.timer.durationMs).toBe(14_400_000);
  });
});

