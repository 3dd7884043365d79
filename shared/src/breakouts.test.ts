/**
 * Breakouts (PROTOCOL.md v1.1 "Opening breakouts", "A member who leaves", "Who may speak", the
 * clarifications), rule by rule, through `decide` — plus our extension `breakout.help`.
 */
import { describe, expect, it } from 'vitest';
import { AUTO_RECALL_AFTER_MS, breakoutWakeUps, formGroups, groupSizes, placeOf } from './breakouts.js';
import { commandSchema, type CircleCommand } from './commands.js';
import { decide, type Decision, type Effect, type SystemCommand } from './decide.js';
import { maySpeakById } from './speaking.js';
import type { Breakouts, CircleState, PlanStep } from './state.js';
import { GRACE_MS, NOW, act, expectAccepted, expectChanged, expectNoop, expectRejected, makeCircle, mediaChanges, type MemberSpec } from './test-support.js';

const VERSION = 10;

/** Facilitator `f`, participants `a`..`d`, all here, plus any `extra` members. */
function circle(extra: MemberSpec[] = []): CircleState {
  return makeCircle({ version: VERSION, members: [{ id: 'f', role: 'facilitator' }, { id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }, ...extra] });
}

/** `state` with breakouts `b1` already open: `groups` as given, speakers first in `turns`. */
function withBreakouts(state: CircleState, groups: string[][], extra: Partial<Breakouts> = {}): CircleState {
  const mode = extra.mode ?? 'turns';
  return {
    ...state,
    breakouts: {
      id: 'b1',
      prompt: '',
      mode,
      groups: groups.map((memberIds, i) => ({ id: `b1g${i + 1}`, memberIds, speakerId: mode === 'turns' ? memberIds[0]! : null, helpAt: null })),
      message: null,
      visits: {},
      endsAt: null,
      closingAt: null,
      ...extra,
    },
  };
}

/** The usual open breakouts: pairs a+b and c+d, in turns. */
const paired = (extra: Partial<Breakouts> = {}) => withBreakouts(circle(), [['a', 'b'], ['c', 'd']], extra);

function run(state: CircleState, actorId: string, command: CircleCommand | SystemCommand, options: { now?: number; seed?: number } = {}): Decision {
  const actor = actorId === 'system' ? ({ kind: 'system' } as const) : ({ kind: 'member', id: actorId } as const);
  return decide(state, command, { actor, now: options.now ?? NOW, holderGraceMs: GRACE_MS, seed: options.seed ?? 0 });
}

const open = (state: CircleState) => {
  if (!state.breakouts) expect.fail('expected breakouts to be open');
  return state.breakouts;
};
const speakers = (state: CircleState) => open(state).groups.map((g) => g.speakerId);
const schedules = (effects: Effect[]) => effects.filter((e) => e.type === 'schedule');

describe('group sizes (our reading of the clarification: the examples win over ⌊n/size⌋)', () => {
  it.each([
    [0, 2, []],
    [1, 2, [1]],
    [1, 4, [1]],
    [2, 2, [2]],
    [3, 2, [3]],
    [4, 2, [2, 2]],
    [5, 2, [3, 2]],
    [7, 2, [3, 2, 2]],
    [2, 3, [2]],
    [4, 3, [4]],
    [5, 3, [3, 2]],
    [7, 3, [4, 3]],
    [8, 3, [3, 3, 2]],
    [3, 4, [3]],
    [5, 4, [5]],
    [6, 4, [3, 3]],
    [7, 4, [4, 3]],
    [9, 4, [5, 4]],
    [10, 4, [4, 3, 3]],
  ])('%i people in groups of %i: %j', (count, size, sizes) => {
    expect(groupSizes(count, size)).toEqual(sizes);
  });

  it('formGroups: the same seed gives the same groups; seeds shuffle; every id once', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    expect(formGroups(ids, 2, 42)).toEqual(formGroups(ids, 2, 42));
    const distinct = new Set(Array.from({ length: 20 }, (_, seed) => JSON.stringify(formGroups(ids, 2, seed))));
    expect(distinct.size).toBeGreaterThan(1);
    for (let seed = 0; seed < 20; seed++) {
      const groups = formGroups(ids, 2, seed);
      expect(groups.map((g) => g.length)).toEqual([3, 2, 2]);
      expect(groups.flat().sort()).toEqual(ids);
    }
  });
});

describe('breakout.open', () => {
  it('without groups: the connected participants (no facilitator, nobody away) in groups of size, one version', () => {
    const state = circle([{ id: 'x', connected: false }, { id: 'g', role: 'facilitator' }]);
    const { state: next, effects } = expectChanged(state, run(state, 'f', { type: 'breakout.open', size: 2 }, { seed: 7 }));
    const breakouts = open(next);
    expect(breakouts).toMatchObject({ id: `b${VERSION}`, prompt: '', mode: 'turns', message: null, visits: {}, endsAt: null, closingAt: null });
    expect(breakouts.groups.map((g) => g.id)).toEqual([`b${VERSION}g1`, `b${VERSION}g2`]);
    expect(breakouts.groups.map((g) => g.memberIds.length)).toEqual([2, 2]);
    expect(breakouts.groups.flatMap((g) => g.memberIds).sort()).toEqual(['a', 'b', 'c', 'd']);
    for (const g of breakouts.groups) expect(g).toMatchObject({ speakerId: g.memberIds[0], helpAt: null });
    expect(schedules(effects)).toEqual([]);
    // The facilitators and the away member stay in the main circle.
    for (const id of ['f', 'g', 'x']) expect(placeOf(next, id)).toEqual({ kind: 'main' });
  });

  it('the shuffle follows the seed given to decide', () => {
    const state = circle([{ id: 'e' }, { id: 'h' }]);
    const groupsFor = (seed: number) => open(expectAccepted(run(state, 'f', { type: 'breakout.open', size: 3 }, { seed })).state).groups.map((g) => g.memberIds);
    expect(groupsFor(3)).toEqual(groupsFor(3));
    expect(new Set([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => JSON.stringify(groupsFor(seed)))).size).toBeGreaterThan(1);
  });

  it('uneven counts follow groupSizes: 5 in triads make 3 + 2; a single participant makes one group of 1', () => {
    const five = circle([{ id: 'e' }]);
    expect(open(expectChanged(five, run(five, 'f', { type: 'breakout.open', size: 3 })).state).groups.map((g) => g.memberIds.length)).toEqual([3, 2]);
    const lone = makeCircle({ members: [{ id: 'f', role: 'facilitator' }, { id: 'a' }, { id: 'b', connected: false }] });
    expect(open(expectChanged(lone, run(lone, 'f', { type: 'breakout.open', size: 4 })).state).groups).toEqual([{ id: `b${lone.version}g1`, memberIds: ['a'], speakerId: 'a', helpAt: null }]);
  });

  it('with groups: exactly those groups; members not listed (facilitators may be) stay in the main circle', () => {
    const state = circle();
    const { state: next } = expectChanged(state, run(state, 'f', { type: 'breakout.open', size: 2, groups: [['c', 'a', 'f'], ['b']] }));
    expect(open(next).groups).toEqual([
      { id: `b${VERSION}g1`, memberIds: ['c', 'a', 'f'], speakerId: 'c', helpAt: null },
      { id: `b${VERSION}g2`, memberIds: ['b'], speakerId: 'b', helpAt: null },
    ]);
    expect(placeOf(next, 'd')).toEqual({ kind: 'main' });
  });

  it('prompt, mode open (no speakers) and durationMs (endsAt and the recall wake-up)', () => {
    const state = circle();
    const command = commandSchema.parse({ type: 'breakout.open', size: 2, prompt: '  What brought you here?  ', durationMs: 600_000, mode: 'open' }) as CircleCommand;
    const { state: next, effects } = expectChanged(state, run(state, 'f', command));
    const breakouts = open(next);
    expect(breakouts).toMatchObject({ prompt: 'What brought you here?', mode: 'open', endsAt: NOW + 600_000, closingAt: null });
    expect(speakers(next)).toEqual([null, null]);
    expect(schedules(effects)).toEqual([{ type: 'schedule', at: NOW + 600_000, command: { type: 'breakout.recall', breakoutsId: breakouts.id, at: NOW + 600_000 } }]);
  });

  it.each([
    ['an away member', [['a', 'x']]],
    ['an unknown id', [['a', 'ghost']]],
    ['a member in two groups', [['a', 'b'], ['b', 'c']]],
    ['a member twice in one group', [['a', 'a']]],
    ['an empty group', [['a', 'b'], []]],
    ['no group at all', []],
  ])('groups naming %s are invalid — from a participant too (invalid comes before forbidden)', (_what, groups) => {
    const state = circle([{ id: 'x', connected: false }]);
    expectRejected(run(state, 'f', { type: 'breakout.open', size: 2, groups }), 'invalid');
    expectRejected(run(state, 'a', { type: 'breakout.open', size: 2, groups }), 'invalid');
  });

  it('from a participant with valid groups (or none): forbidden', () => {
    const state = circle();
    expectRejected(run(state, 'a', { type: 'breakout.open', size: 2 }), 'forbidden');
    expectRejected(run(state, 'a', { type: 'breakout.open', size: 2, groups: [['a', 'b']] }), 'forbidden');
  });

  it('already open: conflict, and nothing changes', () => {
    const state = paired();
    expectRejected(run(state, 'f', { type: 'breakout.open', size: 3 }), 'conflict');
    expectRejected(run(state, 'f', { type: 'breakout.open', size: 2, groups: [['a', 'b']] }), 'conflict');
  });

  it('nobody to group (only facilitators here, participants away): conflict', () => {
    const state = makeCircle({ members: [{ id: 'f', role: 'facilitator' }, { id: 'g', role: 'facilitator' }, { id: 'a', connected: false }] });
    expectRejected(run(state, 'f', { type: 'breakout.open', size: 2 }), 'conflict');
  });

  it('the schema: size 2..4, prompt ≤ 500, durationMs 10 s..60 min, mode turns | open', () => {
    const ok = (raw: object) => commandSchema.safeParse({ type: 'breakout.open', ...raw }).success;
    expect(ok({ size: 2 })).toBe(true);
    expect(ok({ size: 4, durationMs: 10_000, mode: 'turns', prompt: 'p'.repeat(500) })).toBe(true);
    expect(ok({ size: 2, durationMs: 3_600_000 })).toBe(true);
    for (const bad of [{}, { size: 1 }, { size: 5 }, { size: 2.5 }, { size: 2, durationMs: 9_999 }, { size: 2, durationMs: 3_600_001 }, { size: 2, prompt: 'p'.repeat(501) }, { size: 2, mode: 'round' }, { size: 2, groups: 'a' }]) {
      expect(ok(bad)).toBe(false);
    }
  });
});

describe('breakout.swap', () => {
  it('in every pair the turn goes to the other (A↔B), and back', () => {
    const state = paired();
    const once = expectChanged(state, run(state, 'f', { type: 'breakout.swap' })).state;
    expect(speakers(once)).toEqual(['b', 'd']);
    expect(speakers(expectChanged(once, run(once, 'f', { type: 'breakout.swap' })).state)).toEqual(['a', 'c']);
  });

  it('in triads the turn goes round; a group of one keeps its speaker', () => {
    let state = withBreakouts(circle([{ id: 'e' }]), [['a', 'b', 'c'], ['d', 'e'], ['f']]);
    const seen: Array<Array<string | null>> = [];
    for (let i = 0; i < 3; i++) {
      state = expectAccepted(run(state, 'f', { type: 'breakout.swap' })).state;
      seen.push(speakers(state));
    }
    expect(seen).toEqual([
      ['b', 'e', 'f'],
      ['c', 'd', 'f'],
      ['a', 'e', 'f'],
    ]);
  });

  it('no breakouts, or open mode: conflict; from a participant: forbidden', () => {
    expectRejected(run(circle(), 'f', { type: 'breakout.swap' }), 'conflict');
    expectRejected(run(paired({ mode: 'open' }), 'f', { type: 'breakout.swap' }), 'conflict');
    expectRejected(run(paired(), 'a', { type: 'breakout.swap' }), 'forbidden');
    expectRejected(run(circle(), 'a', { type: 'breakout.swap' }), 'forbidden');
  });
});

describe('breakout.pass', () => {
  it("the group's speaker passes to the next member of their group only; microphones follow", () => {
    const state = paired();
    const { state: next, effects } = expectChanged(state, run(state, 'a', { type: 'breakout.pass' }));
    expect(speakers(next)).toEqual(['b', 'c']);
    expect(mediaChanges(effects)).toEqual([
      { participantId: 'a', maySpeak: false },
      { participantId: 'b', maySpeak: true },
    ]);
  });

  it('a facilitator visiting a group passes its turn (and only its)', () => {
    const state = paired({ visits: { f: 'b1g2' } });
    expect(speakers(expectChanged(state, run(state, 'f', { type: 'breakout.pass' })).state)).toEqual(['a', 'd']);
  });

  it('a member who is not the speaker, a participant in the main circle, or with no breakouts: forbidden', () => {
    const state = withBreakouts(circle([{ id: 'e' }]), [['a', 'b'], ['c', 'd']]);
    expectRejected(run(state, 'b', { type: 'breakout.pass' }), 'forbidden');
    expectRejected(run(state, 'e', { type: 'breakout.pass' }), 'forbidden');
    expectRejected(run(circle(), 'a', { type: 'breakout.pass' }), 'forbidden');
  });

  it('a facilitator: visiting no group, forbidden; with no breakouts open, conflict', () => {
    expectRejected(run(paired(), 'f', { type: 'breakout.pass' }), 'forbidden');
    expectRejected(run(circle(), 'f', { type: 'breakout.pass' }), 'conflict');
  });

  it('in open mode: conflict, for a member and for a visiting facilitator', () => {
    const state = paired({ mode: 'open', visits: { f: 'b1g1' } });
    expectRejected(run(state, 'a', { type: 'breakout.pass' }), 'conflict');
    expectRejected(run(state, 'f', { type: 'breakout.pass' }), 'conflict');
  });
});

describe('breakout.broadcast', () => {
  it('message = {text, at: now}; a later word replaces it', () => {
    const state = paired();
    const first = expectChanged(state, run(state, 'f', { type: 'breakout.broadcast', text: 'Two more minutes' })).state;
    expect(open(first).message).toEqual({ text: 'Two more minutes', at: NOW });
    const second = expectChanged(first, run(first, 'f', { type: 'breakout.broadcast', text: 'Time to swap' }, { now: NOW + 5 })).state;
    expect(open(second).message).toEqual({ text: 'Time to swap', at: NOW + 5 });
  });

  it('no breakouts: conflict; a participant: forbidden; text 1..300 after trimming', () => {
    expectRejected(run(circle(), 'f', { type: 'breakout.broadcast', text: 'Hi' }), 'conflict');
    expectRejected(run(paired(), 'a', { type: 'breakout.broadcast', text: 'Hi' }), 'forbidden');
    const ok = (text: string) => commandSchema.safeParse({ type: 'breakout.broadcast', text }).success;
    expect([ok('x'), ok('x'.repeat(300)), ok(''), ok('   '), ok('x'.repeat(301))]).toEqual([true, true, false, false, false]);
  });
});

describe('breakout.visit', () => {
  it('visit, move to another group, return with null; a visiting facilitator may speak in turns mode', () => {
    const state = { ...paired(), settings: { ...paired().settings, facilitatorsMaySpeak: false } };
    const visiting = expectChanged(state, run(state, 'f', { type: 'breakout.visit', groupId: 'b1g1' }));
    expect(open(visiting.state).visits).toEqual({ f: 'b1g1' });
    expect(placeOf(visiting.state, 'f')).toMatchObject({ kind: 'group', visiting: true, group: { id: 'b1g1' } });
    expect(mediaChanges(visiting.effects)).toEqual([{ participantId: 'f', maySpeak: true }]);
    const moved = expectChanged(visiting.state, run(visiting.state, 'f', { type: 'breakout.visit', groupId: 'b1g2' })).state;
    expect(open(moved).visits).toEqual({ f: 'b1g2' });
    const back = expectChanged(moved, run(moved, 'f', { type: 'breakout.visit', groupId: null }));
    expect(open(back.state).visits).toEqual({});
    expect(placeOf(back.state, 'f')).toEqual({ kind: 'main' });
    expect(mediaChanges(back.effects)).toEqual([{ participantId: 'f', maySpeak: false }]);
    // Returning when already in the main circle changes nothing.
    expectNoop(back.state, run(back.state, 'f', { type: 'breakout.visit', groupId: null }));
  });

  it('an unknown group: not_found (with or without breakouts); null with none open: conflict; a participant: forbidden', () => {
    expectRejected(run(paired(), 'f', { type: 'breakout.visit', groupId: 'b1g9' }), 'not_found');
    expectRejected(run(circle(), 'f', { type: 'breakout.visit', groupId: 'b1g1' }), 'not_found');
    expectRejected(run(circle(), 'f', { type: 'breakout.visit', groupId: null }), 'conflict');
    expectRejected(run(paired(), 'a', { type: 'breakout.visit', groupId: 'b1g2' }), 'forbidden');
    expectRejected(run(paired(), 'a', { type: 'breakout.visit', groupId: 'nowhere' }), 'forbidden');
  });
});

describe('breakout.close and the recall', () => {
  it('without afterMs (or 0): breakouts = null at once', () => {
    const state = paired();
    expect(expectChanged(state, run(state, 'f', { type: 'breakout.close' })).state.breakouts).toBeNull();
    expect(expectChanged(state, run(state, 'f', { type: 'breakout.close', afterMs: 0 })).state.breakouts).toBeNull();
  });

  it('with afterMs: closingAt, a bell of 2 strikes now, and the return as a server-side change at closingAt', () => {
    const state = { ...paired(), bell: { id: 4, strikes: 1 as const, at: NOW - 10_000 } };
    const announced = expectChanged(state, run(state, 'f', { type: 'breakout.close', afterMs: 20_000 }));
    expect(open(announced.state).closingAt).toBe(NOW + 20_000);
    expect(announced.state.bell).toEqual({ id: 5, strikes: 2, at: NOW + 300 });
    const finish: SystemCommand = { type: 'breakout.finish', breakoutsId: 'b1', at: NOW + 20_000 };
    expect(schedules(announced.effects)).toEqual([{ type: 'schedule', at: NOW + 20_000, command: finish }]);
    // Still in groups until then; a wake-up a little early waits for its time.
    const early = expectAccepted(run(announced.state, 'system', finish, { now: NOW + 19_990 }));
    expect(early.changed).toBe(false);
    expect(schedules(early.effects)).toEqual([{ type: 'schedule', at: NOW + 20_000, command: finish }]);
    const back = expectChanged(announced.state, run(announced.state, 'system', finish, { now: NOW + 20_000 }));
    expect(back.state.breakouts).toBeNull();
  });

  it('while a recall is announced: afterMs 0 closes at once, any other afterMs is conflict', () => {
    const state = paired({ closingAt: NOW + 10_000 });
    expectRejected(run(state, 'f', { type: 'breakout.close', afterMs: 5_000 }), 'conflict');
    expect(expectChanged(state, run(state, 'f', { type: 'breakout.close', afterMs: 0 })).state.breakouts).toBeNull();
  });

  it('no breakouts: conflict; a participant: forbidden; afterMs 0..120 000', () => {
    expectRejected(run(circle(), 'f', { type: 'breakout.close' }), 'conflict');
    expectRejected(run(paired(), 'a', { type: 'breakout.close' }), 'forbidden');
    const ok = (afterMs: number) => commandSchema.safeParse({ type: 'breakout.close', afterMs }).success;
    expect([ok(0), ok(120_000), ok(-1), ok(120_001), ok(1.5)]).toEqual([true, true, false, false, false]);
  });

  it('at endsAt the recall starts exactly like breakout.close with afterMs 30 000', () => {
    const endsAt = NOW + 600_000;
    const state = paired({ endsAt });
    const recall: SystemCommand = { type: 'breakout.recall', breakoutsId: 'b1', at: endsAt };
    const automatic = expectChanged(state, run(state, 'system', recall, { now: endsAt }));
    const byHand = expectChanged(state, run(state, 'f', { type: 'breakout.close', afterMs: 30_000 }, { now: endsAt }));
    expect(AUTO_RECALL_AFTER_MS).toBe(30_000);
    expect(automatic.state).toEqual(byHand.state);
    expect(automatic.effects).toEqual(byHand.effects);
    expect(open(automatic.state).closingAt).toBe(endsAt + 30_000);
    expect(automatic.state.bell).toEqual({ id: 1, strikes: 2, at: endsAt + 300 });
  });

  it('the recall wake-up: early, it waits; for other breakouts, or once a recall is announced or done, it does nothing', () => {
    const endsAt = NOW + 600_000;
    const state = paired({ endsAt });
    const recall: SystemCommand = { type: 'breakout.recall', breakoutsId: 'b1', at: endsAt };
    const early = expectAccepted(run(state, 'system', recall, { now: endsAt - 5 }));
    expect(early.changed).toBe(false);
    expect(schedules(early.effects)).toEqual([{ type: 'schedule', at: endsAt, command: recall }]);
    expectNoop(state, run(state, 'system', { ...recall, breakoutsId: 'b0' }, { now: endsAt }));
    const announced = paired({ endsAt, closingAt: endsAt + 1_000 });
    expectNoop(announced, run(announced, 'system', recall, { now: endsAt }));
    const closed = circle();
    expectNoop(closed, run(closed, 'system', recall, { now: endsAt }));
    // A return for breakouts closed at once and opened anew does not close the new ones.
    const reopened = paired({ id: 'b20', closingAt: NOW + 50 });
    expectNoop(reopened, run(reopened, 'system', { type: 'breakout.finish', breakoutsId: 'b1', at: NOW + 50 }, { now: NOW + 50 }));
  });

  it('after a restart, the pending recall or return is armed again', () => {
    const withEnd = paired({ endsAt: NOW + 1_000 });
    const restarted = expectChanged(withEnd, run(withEnd, 'system', { type: 'server.restart' }));
    expect(schedules(restarted.effects).map((e) => e.command)).toContainEqual({ type: 'breakout.recall', breakoutsId: 'b1', at: NOW + 1_000 });
    const closing = paired({ endsAt: NOW - 30_000, closingAt: NOW + 2_000 });
    const commands = schedules(expectChanged(closing, run(closing, 'system', { type: 'server.restart' })).effects).map((e) => e.command.type);
    expect(commands).toContain('breakout.finish');
    expect(commands).not.toContain('breakout.recall');
    expect(breakoutWakeUps(paired())).toEqual([]);
    expect(breakoutWakeUps(circle())).toEqual([]);
  });
});

describe('a member who leaves, and one who joins', () => {
  it('a removed member leaves their group; the speaker who left passes to the next member', () => {
    const state = withBreakouts(circle([{ id: 'e' }]), [['a', 'b', 'c'], ['d', 'e']]);
    const next = expectChanged(state, run(state, 'f', { type: 'participant.remove', participantId: 'a' })).state;
    expect(open(next).groups).toEqual([
      { id: 'b1g1', memberIds: ['b', 'c'], speakerId: 'b', helpAt: null },
      { id: 'b1g2', memberIds: ['d', 'e'], speakerId: 'd', helpAt: null },
    ]);
    // A non-speaker leaving keeps the speaker.
    const again = expectChanged(next, run(next, 'f', { type: 'participant.remove', participantId: 'e' })).state;
    expect(open(again).groups[1]).toEqual({ id: 'b1g2', memberIds: ['d'], speakerId: 'd', helpAt: null });
  });

  it('the last speaker of a group passes to the first member (wrapping)', () => {
    const state = withBreakouts(circle(), [['a', 'b', 'c']]);
    const turned = { ...state, breakouts: { ...open(state), groups: [{ ...open(state).groups[0]!, speakerId: 'c' }] } };
    expect(speakers(expectChanged(turned, run(turned, 'f', { type: 'participant.remove', participantId: 'c' })).state)).toEqual(['a']);
  });

  it('an empty group is dropped, with the visits to it', () => {
    const state = withBreakouts(circle(), [['a'], ['b', 'c']], { visits: { f: 'b1g1' } });
    const next = expectChanged(state, run(state, 'f', { type: 'participant.remove', participantId: 'a' })).state;
    expect(open(next).groups.map((g) => g.id)).toEqual(['b1g2']);
    expect(open(next).visits).toEqual({});
    expect(placeOf(next, 'f')).toEqual({ kind: 'main' });
  });

  it('a member whose grace ends leaves their group; dropping out alone does not', () => {
    const state = withBreakouts(circle(), [['a', 'b'], ['c', 'd']]);
    const away = expectChanged(state, run(state, 'system', { type: 'member.leave', participantId: 'a' })).state;
    expect(open(away).groups[0]).toMatchObject({ memberIds: ['a', 'b'], speakerId: 'a' });
    const stale = run(away, 'system', { type: 'presence.grace-end', participantId: 'a', awaySince: NOW - 1 }, { now: NOW + GRACE_MS });
    expectNoop(away, stale);
    const gone = expectChanged(away, run(away, 'system', { type: 'presence.grace-end', participantId: 'a', awaySince: NOW }, { now: NOW + GRACE_MS })).state;
    expect(open(gone).groups[0]).toMatchObject({ memberIds: ['b'], speakerId: 'b' });
    expect(gone.participants.find((p) => p.id === 'a')).toBeDefined();
  });

  it("a visiting facilitator who is removed or whose grace ends no longer visits", () => {
    const state = withBreakouts(makeCircle({ members: [{ id: 'f', role: 'facilitator' }, { id: 'g', role: 'facilitator', connected: false, awaySince: NOW - GRACE_MS }, { id: 'a' }, { id: 'b' }] }), [['a', 'b']], { visits: { f: 'b1g1', g: 'b1g1' } });
    const graceOver = expectChanged(state, run(state, 'system', { type: 'presence.grace-end', participantId: 'g', awaySince: NOW - GRACE_MS })).state;
    expect(open(graceOver).visits).toEqual({ f: 'b1g1' });
    const promoted = { ...graceOver, participants: graceOver.participants.map((p) => (p.id === 'a' ? { ...p, role: 'facilitator' as const } : p)) };
    const removed = expectChanged(promoted, run(promoted, 'a', { type: 'participant.remove', participantId: 'f' })).state;
    expect(open(removed).visits).toEqual({});
  });

  it('a member who joins while breakouts are open stays in the main circle; one who returns is back in their group', () => {
    const state = paired();
    const joined = expectChanged(state, run(state, 'system', { type: 'member.join', participant: { id: 'n', name: 'New', role: 'participant' } })).state;
    expect(joined.breakouts).toEqual(state.breakouts);
    expect(placeOf(joined, 'n')).toEqual({ kind: 'main' });
    const away = expectAccepted(run(joined, 'system', { type: 'member.leave', participantId: 'c' })).state;
    const back = expectAccepted(run(away, 'system', { type: 'member.return', participantId: 'c', role: 'participant' })).state;
    expect(placeOf(back, 'c')).toMatchObject({ kind: 'group', group: { id: 'b1g2' }, visiting: false });
  });

  it('a facilitator who steps down while visiting a group no longer visits it', () => {
    const state = withBreakouts(makeCircle({ members: [{ id: 'f', role: 'facilitator' }, { id: 'g', role: 'facilitator' }, { id: 'a' }, { id: 'b' }] }), [['a', 'b']], { visits: { g: 'b1g1' } });
    expect(maySpeakById(state, 'g')).toBe(true);
    const { state: next, effects } = expectChanged(state, run(state, 'f', { type: 'participant.role', participantId: 'g', role: 'participant' }));
    expect(open(next).visits).toEqual({});
    expect(placeOf(next, 'g')).toEqual({ kind: 'main' });
    expect(maySpeakById(next, 'g')).toBe(false);
    expect(mediaChanges(effects)).toEqual([{ participantId: 'g', maySpeak: false }]);
  });
});

describe('who may speak during breakouts', () => {
  const noFacilitators = (state: CircleState): CircleState => ({ ...state, settings: { ...state.settings, facilitatorsMaySpeak: false } });
  const rights = (state: CircleState) => Object.fromEntries(state.participants.map((p) => [p.id, maySpeakById(state, p.id)]));

  it('turns: the group speaker and visiting facilitators; the main circle by v1 (holder, facilitators)', () => {
    const base = circle([{ id: 'e' }, { id: 'g', role: 'facilitator' }]);
    const state = withBreakouts({ ...base, piece: { ...base.piece, mode: 'round', holderId: 'e', since: NOW } }, [['a', 'b'], ['c', 'd']], { visits: { g: 'b1g2' } });
    expect(rights(state)).toEqual({ f: true, a: true, b: false, c: true, d: false, e: true, g: true });
    expect(rights(noFacilitators(state))).toMatchObject({ f: false, g: true, e: true });
  });

  it('a group member who holds the main circle’s piece, or is a facilitator, follows the group rule', () => {
    const base = circle();
    const state = withBreakouts({ ...base, piece: { ...base.piece, holderId: 'b', since: NOW } }, [['a', 'b', 'f']]);
    expect(rights(state)).toMatchObject({ a: true, b: false, f: false, c: false });
  });

  it('open groups: everyone in them; the main circle in open mode: everyone there', () => {
    const state = withBreakouts(circle([{ id: 'e' }]), [['a', 'b'], ['c', 'd']], { mode: 'open' });
    expect(rights(noFacilitators(state))).toEqual({ f: false, a: true, b: true, c: true, d: true, e: false });
    const openMain = { ...state, piece: { ...state.piece, mode: 'open' as const, holderId: null, since: null } };
    expect(rights(noFacilitators(openMain))).toEqual({ f: true, a: true, b: true, c: true, d: true, e: true });
  });

  it('silence overrides every group', () => {
    const state = { ...withBreakouts(circle(), [['a', 'b'], ['c', 'd']], { mode: 'open', visits: { f: 'b1g1' } }), silence: { since: NOW, endsAt: null } };
    expect(Object.values(rights(state)).every((may) => !may)).toBe(true);
  });

  it('opening and closing breakouts tell the media who gained and lost the right', () => {
    const state = noFacilitators(circle());
    const opened = expectChanged(state, run(state, 'f', { type: 'breakout.open', size: 2, groups: [['a', 'b'], ['c', 'd']] }));
    expect(mediaChanges(opened.effects)).toEqual([
      { participantId: 'a', maySpeak: true },
      { participantId: 'c', maySpeak: true },
    ]);
    const closed = expectChanged(opened.state, run(opened.state, 'f', { type: 'breakout.close' }));
    expect(mediaChanges(closed.effects)).toEqual([
      { participantId: 'a', maySpeak: false },
      { participantId: 'c', maySpeak: false },
    ]);
  });
});

describe('plan steps in groups', () => {
  const step = (id: string, overrides: Partial<PlanStep> = {}): PlanStep => ({
    id,
    title: id,
    stage: 'new-eyes',
    prompt: '',
    mode: 'round',
    speakerTimeMs: null,
    durationMs: null,
    grouping: 'circle',
    ...overrides,
  });
  const planned = (steps: PlanStep[], state = circle()): CircleState => ({ ...state, plan: { steps, current: null, history: [] } });

  it('plan.go on a step in pairs opens groups in turns with its prompt and durationMs — one version', () => {
    const state = planned([step('step-1', { grouping: 'pairs', prompt: 'What do you love?', durationMs: 300_000, mode: 'open' })], circle([{ id: 'e' }]));
    const { state: next, effects } = expectChanged(state, run(state, 'f', { type: 'plan.go', index: 0 }));
    const breakouts = open(next);
    expect(breakouts).toMatchObject({ id: `b${VERSION}`, prompt: 'What do you love?', mode: 'turns', endsAt: NOW + 300_000, closingAt: null });
    expect(breakouts.groups.map((g) => g.memberIds.length)).toEqual([3, 2]);
    for (const g of breakouts.groups) expect(g.speakerId).toBe(g.memberIds[0]);
    expect(next.timer).toMatchObject({ running: true, endsAt: NOW + 300_000 });
    expect(schedules(effects).map((e) => e.command)).toEqual([
      { type: 'timer.finish', endsAt: NOW + 300_000 },
      { type: 'breakout.recall', breakoutsId: breakouts.id, at: NOW + 300_000 },
    ]);
  });

  it.each([
    ['triads', [3, 2]],
    ['quads', [5]],
  ] as const)('a step in %s groups by its size', (grouping, sizes) => {
    const state = planned([step('step-1', { grouping })], circle([{ id: 'e' }]));
    const next = expectChanged(state, run(state, 'f', { type: 'plan.next' })).state;
    expect(open(next).groups.map((g) => g.memberIds.length)).toEqual(sizes);
    expect(open(next).endsAt).toBeNull();
  });

  it('beginning a step closes open breakouts first: a step in the circle leaves none; one in groups opens new ones', () => {
    const state = { ...planned([step('step-1'), step('step-2', { grouping: 'pairs' })]), breakouts: paired({ visits: { f: 'b1g1' } }).breakouts };
    expect(expectChanged(state, run(state, 'f', { type: 'plan.go', index: 0 })).state.breakouts).toBeNull();
    const regrouped = open(expectChanged(state, run(state, 'f', { type: 'plan.go', index: 1 })).state);
    expect(regrouped.id).not.toBe('b1');
    expect(regrouped.visits).toEqual({});
  });

  it('a step in groups with nobody to group still begins, in the main circle', () => {
    const state = planned([step('step-1', { grouping: 'pairs' })], makeCircle({ version: 3, members: [{ id: 'f', role: 'facilitator' }] }));
    const next = expectChanged(state, run(state, 'f', { type: 'plan.go', index: 0 })).state;
    expect(next.plan.current).toBe(0);
    expect(next.breakouts).toBeNull();
  });
});

describe('breakout.help (extension): a group calls the facilitator', () => {
  it('a member of a group sets its helpAt; again changes nothing; a visit to that group answers it', () => {
    const state = paired();
    const called = expectChanged(state, run(state, 'b', { type: 'breakout.help' })).state;
    expect(open(called).groups.map((g) => g.helpAt)).toEqual([NOW, null]);
    expectNoop(called, run(called, 'a', { type: 'breakout.help' }, { now: NOW + 1_000 }));
    const elsewhere = expectChanged(called, run(called, 'f', { type: 'breakout.visit', groupId: 'b1g2' })).state;
    expect(open(elsewhere).groups.map((g) => g.helpAt)).toEqual([NOW, null]);
    const answered = expectChanged(elsewhere, run(elsewhere, 'f', { type: 'breakout.visit', groupId: 'b1g1' })).state;
    expect(open(answered).groups.map((g) => g.helpAt)).toEqual([null, null]);
  });

  it('from the main circle, a visiting facilitator, or with no breakouts: forbidden', () => {
    const state = withBreakouts(circle([{ id: 'e' }]), [['a', 'b'], ['c', 'd']], { visits: { f: 'b1g1' } });
    expectRejected(run(state, 'e', { type: 'breakout.help' }), 'forbidden');
    expectRejected(run(state, 'f', { type: 'breakout.help' }), 'forbidden');
    expectRejected(run(circle(), 'a', { type: 'breakout.help' }), 'forbidden');
  });
});

describe('act (the default seed) and the plain builders agree', () => {
  it('act without a seed opens the same groups as seed 0', () => {
    const state = circle([{ id: 'e' }]);
    expect(act(state, 'f', { type: 'breakout.open', size: 2 })).toEqual(run(state, 'f', { type: 'breakout.open', size: 2 }, { seed: 0 }));
  });
});
