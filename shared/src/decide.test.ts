import { describe, expect, it } from 'vitest';
import { COMMAND_TYPES, FACILITATOR_COMMANDS, type Command, type CommandType } from './commands.js';
import { decide, nextInRound, type SystemCommand } from './decide.js';
import type { CircleState } from './state.js';
import { IDLE_TIMER } from './timer.js';
import {
  GRACE_MS,
  NOW,
  T0,
  act,
  expectAccepted,
  expectChanged,
  expectNoop,
  expectRejected,
  makeCircle,
  mediaChanges,
  member,
  standardCircle,
} from './test-support.js';

/** A valid example of every member command, for the authorisation matrix. */
const EXAMPLES: Record<CommandType, Command> = {
  'stage.advance': { type: 'stage.advance' },
  'stage.set': { type: 'stage.set', stage: 'new-eyes' },
  'piece.pass': { type: 'piece.pass' },
  'piece.release': { type: 'piece.release' },
  'piece.take': { type: 'piece.take' },
  'piece.mode': { type: 'piece.mode', mode: 'popcorn' },
  'hand.raise': { type: 'hand.raise' },
  'hand.lower': { type: 'hand.lower' },
  'timer.start': { type: 'timer.start', durationMs: 60_000 },
  'timer.pause': { type: 'timer.pause' },
  'timer.resume': { type: 'timer.resume' },
  'timer.reset': { type: 'timer.reset' },
  'name.set': { type: 'name.set', name: 'New name' },
  'participant.remove': { type: 'participant.remove', participantId: 'b' },
  'circle.lock': { type: 'circle.lock', locked: true },
  'media.join': { type: 'media.join' },
  'media.leave': { type: 'media.leave' },
};

const withTimer = (state: CircleState, timer: Partial<CircleState['timer']>): CircleState => ({
  ...state,
  timer: { ...state.timer, ...timer },
});

describe('decide: general', () => {
  it('a changing command bumps the version by exactly one and never mutates its input', () => {
    const state = standardCircle({ version: 7 });
    const before = structuredClone(state);
    const accepted = expectChanged(state, act(state, 'f', { type: 'circle.lock', locked: true }));
    expect(accepted.state.version).toBe(8);
    expect(accepted.state).not.toBe(state);
    expect(state).toEqual(before);
  });

  it('an actor who is not a member is forbidden', () => {
    const state = standardCircle();
    expectRejected(act(state, 'ghost', { type: 'hand.raise' }), 'forbidden');
  });

  it('a member cannot send a system command', () => {
    const state = standardCircle();
    expectRejected(act(state, 'f', { type: 'member.leave', participantId: 'a' }), 'forbidden');
    expectRejected(act(state, 'f', { type: 'server.restart' }), 'forbidden');
  });

  it('the system cannot send a member command', () => {
    const state = standardCircle();
    expectRejected(act(state, 'system', { type: 'stage.advance' }), 'forbidden');
  });

  it('media.join is not a transition', () => {
    const state = standardCircle();
    expectNoop(state, act(state, 'a', { type: 'media.join' }));
  });
});

describe('decide: authorisation matrix', () => {
  const facilitatorOnly = COMMAND_TYPES.filter((t) => FACILITATOR_COMMANDS.has(t));

  it('lists the facilitator-only commands of PROTOCOL.md', () => {
    expect([...facilitatorOnly].sort()).toEqual(
      [
        'circle.lock',
        'participant.remove',
        'piece.mode',
        'piece.take',
        'stage.advance',
        'stage.set',
        'timer.pause',
        'timer.reset',
        'timer.resume',
        'timer.start',
      ].sort(),
    );
  });

  it.each(facilitatorOnly)('%s from a participant is forbidden, even while holding the piece', (type) => {
    // A running timer, so that timer.pause would otherwise be accepted.
    const state = withTimer(standardCircle({ holderId: 'a' }), { running: true, endsAt: NOW + 5_000, durationMs: 10_000, remainingMs: 10_000 });
    const before = structuredClone(state);
    expectRejected(act(state, 'a', EXAMPLES[type]), 'forbidden');
    expect(state).toEqual(before);
  });

  it.each(facilitatorOnly)('%s from a facilitator is not forbidden', (type) => {
    const state = withTimer(standardCircle({ holderId: 'a' }), { running: true, endsAt: NOW + 5_000, durationMs: 10_000, remainingMs: 10_000 });
    const decision = act(state, 'f', EXAMPLES[type]);
    if (!decision.ok) expect(decision.rejection.code).not.toBe('forbidden');
  });

  it.each(COMMAND_TYPES.filter((t) => !FACILITATOR_COMMANDS.has(t)))('%s is open to the right participant', (type) => {
    // `a` holds the piece in round mode: every non-facilitator command is theirs to send.
    const state = standardCircle({ holderId: 'a', queue: ['a'] });
    expectAccepted(act(state, 'a', EXAMPLES[type]));
  });
});

describe('stage.advance', () => {
  it('moves to the next stage, keeps the cycle and stamps `since`', () => {
    const state = standardCircle();
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'stage.advance' }));
    expect(next.stage).toEqual({ key: 'honoring-pain', cycle: 1, since: NOW });
  });

  it('walks the whole spiral and wraps from going-forth to gratitude with cycle + 1', () => {
    let state = standardCircle();
    const keys: string[] = [];
    for (let i = 0; i < 5; i++) {
      state = expectChanged(state, act(state, 'f', { type: 'stage.advance' }, NOW + i)).state;
      keys.push(`${state.stage.key}/${state.stage.cycle}`);
    }
    expect(keys).toEqual(['honoring-pain/1', 'new-eyes/1', 'going-forth/1', 'gratitude/2', 'honoring-pain/2']);
    expect(state.stage.since).toBe(NOW + 4);
  });

  it('wraps from going-forth in a later cycle', () => {
    const state: CircleState = { ...standardCircle(), stage: { key: 'going-forth', cycle: 3, since: T0 } };
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'stage.advance' }));
    expect(next.stage).toEqual({ key: 'gratitude', cycle: 4, since: NOW });
  });
});

describe('stage.set', () => {
  it('jumps to a stage and keeps the cycle', () => {
    const state: CircleState = { ...standardCircle(), stage: { key: 'going-forth', cycle: 2, since: T0 } };
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'stage.set', stage: 'gratitude' }));
    expect(next.stage).toEqual({ key: 'gratitude', cycle: 2, since: NOW });
  });

  it('to the current stage is a no-op: changed false, same version, `since` untouched', () => {
    const state: CircleState = { ...standardCircle(), stage: { key: 'new-eyes', cycle: 2, since: T0 } };
    const noop = expectNoop(state, act(state, 'f', { type: 'stage.set', stage: 'new-eyes' }));
    expect(noop.state.stage.since).toBe(T0);
  });
});

describe('piece.pass in round mode', () => {
  it('from the centre goes to the lowest-seated connected member', () => {
    const state = makeCircle({
      members: [
        { id: 'x', seat: 5 },
        { id: 'f', role: 'facilitator', seat: 3 },
        { id: 'y', seat: 1, connected: false },
        { id: 'z', seat: 2 },
      ],
    });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'piece.pass' }));
    expect(next.piece.holderId).toBe('z');
    expect(next.piece.since).toBe(NOW);
  });

  it('goes to the next connected seat after the holder', () => {
    const state = standardCircle({ holderId: 'a' });
    const { state: next } = expectChanged(state, act(state, 'a', { type: 'piece.pass' }));
    expect(next.piece.holderId).toBe('b');
  });

  it('skips away members', () => {
    const state = standardCircle({ holderId: 'a', away: ['b'] });
    const { state: next } = expectChanged(state, act(state, 'a', { type: 'piece.pass' }));
    expect(next.piece.holderId).toBe('c');
  });

  it('wraps around from the highest seat to the lowest connected one', () => {
    const state = standardCircle({ holderId: 'c', away: ['f'] });
    const { state: next } = expectChanged(state, act(state, 'c', { type: 'piece.pass' }));
    expect(next.piece.holderId).toBe('a');
  });

  it('follows seat numbers, not array order', () => {
    const state = makeCircle({
      members: [
        { id: 'f', role: 'facilitator', seat: 1 },
        { id: 'late', seat: 9 },
        { id: 'mid', seat: 4 },
      ],
      holderId: 'f',
    });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'piece.pass' }));
    expect(next.piece.holderId).toBe('mid');
  });

  it('a facilitator may pass the piece on from another holder', () => {
    const state = standardCircle({ holderId: 'b' });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'piece.pass' }));
    expect(next.piece.holderId).toBe('c');
  });

  it('by a lone connected holder is a no-op', () => {
    const state = standardCircle({ holderId: 'a', away: ['f', 'b', 'c'] });
    expectNoop(state, act(state, 'a', { type: 'piece.pass' }));
  });

  it('the new holder leaves the queue', () => {
    const state = standardCircle({ holderId: 'a', queue: ['c', 'b'] });
    const { state: next } = expectChanged(state, act(state, 'a', { type: 'piece.pass' }));
    expect(next.piece.holderId).toBe('b');
    expect(next.piece.queue).toEqual(['c']);
  });

  it('by a participant who does not hold the piece is forbidden', () => {
    const state = standardCircle({ holderId: 'a' });
    expectRejected(act(state, 'b', { type: 'piece.pass' }), 'forbidden');
    expectRejected(act(state, 'b', { type: 'piece.pass', to: 'c' }), 'forbidden');
  });

  it('from the centre by a participant is forbidden', () => {
    const state = standardCircle();
    expectRejected(act(state, 'a', { type: 'piece.pass' }), 'forbidden');
  });
});

describe('piece.pass in popcorn mode', () => {
  it('goes to the first connected queue member, who leaves the queue', () => {
    const state = standardCircle({ mode: 'popcorn', holderId: 'a', queue: ['b', 'c'], away: ['b'] });
    const { state: next } = expectChanged(state, act(state, 'a', { type: 'piece.pass' }));
    expect(next.piece.holderId).toBe('c');
    // The away member keeps their place until their grace ends.
    expect(next.piece.queue).toEqual(['b']);
  });

  it('goes to the queue head when connected', () => {
    const state = standardCircle({ mode: 'popcorn', holderId: 'a', queue: ['c', 'b'] });
    const { state: next } = expectChanged(state, act(state, 'a', { type: 'piece.pass' }));
    expect(next.piece.holderId).toBe('c');
    expect(next.piece.queue).toEqual(['b']);
  });

  it('with an empty queue goes to the centre', () => {
    const state = standardCircle({ mode: 'popcorn', holderId: 'a' });
    const { state: next } = expectChanged(state, act(state, 'a', { type: 'piece.pass' }));
    expect(next.piece.holderId).toBeNull();
    expect(next.piece.since).toBeNull();
  });

  it('with only away members queued goes to the centre', () => {
    const state = standardCircle({ mode: 'popcorn', holderId: 'a', queue: ['b'], away: ['b'] });
    const { state: next } = expectChanged(state, act(state, 'a', { type: 'piece.pass' }));
    expect(next.piece.holderId).toBeNull();
    expect(next.piece.queue).toEqual(['b']);
  });

  it("skips the holder's own raised hand: the piece goes to the next connected person waiting", () => {
    let state = standardCircle({ mode: 'popcorn', holderId: 'a', queue: ['a', 'b'] });
    state = expectChanged(state, act(state, 'a', { type: 'piece.pass' })).state;
    expect(state.piece).toMatchObject({ mode: 'popcorn', holderId: 'b', queue: ['a'] });
  });

  it('a holder who is alone in the queue passes to the centre', () => {
    const state = standardCircle({ mode: 'popcorn', holderId: 'a', queue: ['a'] });
    const { state: next } = expectChanged(state, act(state, 'a', { type: 'piece.pass' }));
    expect(next.piece).toMatchObject({ holderId: null, since: null, queue: ['a'] });
  });

  it('from the centre by a facilitator goes to the queue head', () => {
    const state = standardCircle({ mode: 'popcorn', queue: ['b'] });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'piece.pass' }));
    expect(next.piece.holderId).toBe('b');
    expect(next.piece.queue).toEqual([]);
  });
});

describe('piece.pass with `to`', () => {
  it.each(['round', 'popcorn'] as const)('in %s mode gives the piece to `to`, who leaves the queue', (mode) => {
    const state = standardCircle({ mode, holderId: 'a', queue: ['b', 'c'] });
    const { state: next } = expectChanged(state, act(state, 'a', { type: 'piece.pass', to: 'c' }));
    expect(next.piece.holderId).toBe('c');
    expect(next.piece.since).toBe(NOW);
    expect(next.piece.queue).toEqual(['b']);
  });

  it('a facilitator may pass from the centre to anyone connected', () => {
    const state = standardCircle();
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'piece.pass', to: 'c' }));
    expect(next.piece.holderId).toBe('c');
  });

  it('to an unknown member is not_found', () => {
    const state = standardCircle({ holderId: 'a' });
    expectRejected(act(state, 'a', { type: 'piece.pass', to: 'nobody' }), 'not_found');
  });

  it('to an away member is conflict', () => {
    const state = standardCircle({ holderId: 'a', away: ['b'] });
    expectRejected(act(state, 'a', { type: 'piece.pass', to: 'b' }), 'conflict');
  });

  it('to the current holder is a no-op', () => {
    const state = standardCircle({ holderId: 'a' });
    expectNoop(state, act(state, 'f', { type: 'piece.pass', to: 'a' }));
  });

  it('to the current holder with a raised hand lowers it (a `to` leaves the queue)', () => {
    const state = standardCircle({ holderId: 'a', queue: ['b', 'a'] });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'piece.pass', to: 'a' }));
    expect(next.piece).toEqual({ mode: 'round', holderId: 'a', since: T0, queue: ['b'] });
  });

  it('by a non-holder to an unknown id is forbidden, not not_found', () => {
    const state = standardCircle({ holderId: 'a' });
    expectRejected(act(state, 'b', { type: 'piece.pass', to: 'nobody' }), 'forbidden');
  });
});

describe('the piece in open mode', () => {
  const open = () => standardCircle({ mode: 'open' });

  it.each<Command>([
    { type: 'piece.pass' },
    { type: 'piece.pass', to: 'a' },
    { type: 'piece.release' },
    { type: 'piece.take' },
  ])('$type by a facilitator is conflict', (command) => {
    expectRejected(act(open(), 'f', command), 'conflict');
  });

  it('pass with an unknown `to` is not_found (not_found is checked before conflict)', () => {
    expectRejected(act(open(), 'f', { type: 'piece.pass', to: 'nobody' }), 'not_found');
  });

  it('pass to a known member is conflict', () => {
    expectRejected(act(open(), 'f', { type: 'piece.pass', to: 'a' }), 'conflict');
  });

  it('pass by a participant (who cannot hold the piece) is forbidden', () => {
    expectRejected(act(open(), 'a', { type: 'piece.pass' }), 'forbidden');
  });
});

describe('piece.release', () => {
  it('by the holder lays the piece in the centre', () => {
    const state = standardCircle({ holderId: 'a' });
    const { state: next } = expectChanged(state, act(state, 'a', { type: 'piece.release' }));
    expect(next.piece).toMatchObject({ holderId: null, since: null });
  });

  it('by a facilitator lays the piece in the centre, keeping the queue', () => {
    const state = standardCircle({ holderId: 'a', queue: ['b'] });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'piece.release' }));
    expect(next.piece).toEqual({ mode: 'round', holderId: null, since: null, queue: ['b'] });
  });

  it('by a participant who does not hold it is forbidden', () => {
    const state = standardCircle({ holderId: 'a' });
    expectRejected(act(state, 'b', { type: 'piece.release' }), 'forbidden');
  });

  it('when the piece is already in the centre is a no-op', () => {
    const state = standardCircle();
    expectNoop(state, act(state, 'f', { type: 'piece.release' }));
  });
});

describe('piece.take', () => {
  it('the facilitator holds the piece and leaves the queue', () => {
    const state = standardCircle({ holderId: 'a', queue: ['f', 'b'] });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'piece.take' }));
    expect(next.piece).toEqual({ mode: 'round', holderId: 'f', since: NOW, queue: ['b'] });
  });

  it('when already holding is a no-op', () => {
    const state = standardCircle({ holderId: 'f' });
    expectNoop(state, act(state, 'f', { type: 'piece.take' }));
  });
});

describe('piece.mode', () => {
  it.each([
    ['round', 'popcorn'],
    ['popcorn', 'round'],
  ] as const)('%s → %s keeps the holder and the queue', (from, to) => {
    const state = standardCircle({ mode: from, holderId: 'a', queue: ['b'] });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'piece.mode', mode: to }));
    expect(next.piece).toEqual({ mode: to, holderId: 'a', since: T0, queue: ['b'] });
  });

  it.each(['round', 'popcorn'] as const)('%s → open empties the holder', (from) => {
    const state = standardCircle({ mode: from, holderId: 'a' });
    const { state: next, effects } = expectChanged(state, act(state, 'f', { type: 'piece.mode', mode: 'open' }));
    expect(next.piece.mode).toBe('open');
    expect(next.piece.holderId).toBeNull();
    expect(next.piece.since).toBeNull();
    // Everyone may now speak: a, b and c gain the right (f, a facilitator, and a, the holder, had it).
    expect(mediaChanges(effects)).toEqual([
      { participantId: 'b', maySpeak: true },
      { participantId: 'c', maySpeak: true },
    ]);
  });

  it.each(['round', 'popcorn'] as const)('open → %s leaves the piece in the centre', (to) => {
    const state = standardCircle({ mode: 'open' });
    const { state: next, effects } = expectChanged(state, act(state, 'f', { type: 'piece.mode', mode: to }));
    expect(next.piece).toEqual({ mode: to, holderId: null, since: null, queue: [] });
    expect(mediaChanges(effects)).toEqual([
      { participantId: 'a', maySpeak: false },
      { participantId: 'b', maySpeak: false },
      { participantId: 'c', maySpeak: false },
    ]);
  });

  it('to the current mode is a no-op', () => {
    const state = standardCircle({ mode: 'popcorn', holderId: 'a' });
    expectNoop(state, act(state, 'f', { type: 'piece.mode', mode: 'popcorn' }));
  });
});

describe('hand.raise and hand.lower', () => {
  it('raise joins the end of the queue', () => {
    const state = standardCircle({ queue: ['b'] });
    const { state: next } = expectChanged(state, act(state, 'a', { type: 'hand.raise' }));
    expect(next.piece.queue).toEqual(['b', 'a']);
  });

  it('raise twice does not duplicate: the second is a no-op', () => {
    const state = standardCircle({ queue: ['b', 'a'] });
    expectNoop(state, act(state, 'a', { type: 'hand.raise' }));
  });

  it('lower by oneself leaves the queue', () => {
    const state = standardCircle({ queue: ['a', 'b', 'c'] });
    const { state: next } = expectChanged(state, act(state, 'b', { type: 'hand.lower' }));
    expect(next.piece.queue).toEqual(['a', 'c']);
  });

  it('lower naming oneself is allowed for a participant', () => {
    const state = standardCircle({ queue: ['a', 'b'] });
    const { state: next } = expectChanged(state, act(state, 'b', { type: 'hand.lower', participantId: 'b' }));
    expect(next.piece.queue).toEqual(['a']);
  });

  it('a facilitator lowers anyone', () => {
    const state = standardCircle({ queue: ['a', 'b'] });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'hand.lower', participantId: 'a' }));
    expect(next.piece.queue).toEqual(['b']);
  });

  it('a participant lowering someone else is forbidden', () => {
    const state = standardCircle({ queue: ['a', 'b'] });
    expectRejected(act(state, 'b', { type: 'hand.lower', participantId: 'a' }), 'forbidden');
  });

  it('a participant lowering an unknown id is forbidden (forbidden before not_found)', () => {
    const state = standardCircle({ queue: ['a'] });
    expectRejected(act(state, 'b', { type: 'hand.lower', participantId: 'nobody' }), 'forbidden');
  });

  it('a facilitator lowering an unknown id is not_found', () => {
    const state = standardCircle({ queue: ['a'] });
    expectRejected(act(state, 'f', { type: 'hand.lower', participantId: 'nobody' }), 'not_found');
  });

  it('lowering a hand that is not raised is a no-op', () => {
    const state = standardCircle({ queue: ['a'] });
    expectNoop(state, act(state, 'f', { type: 'hand.lower', participantId: 'b' }));
    expectNoop(state, act(state, 'c', { type: 'hand.lower' }));
  });
});

describe('the timer', () => {
  it('starts from idle: running, endsAt = now + duration, remainingMs = duration; schedules the finish', () => {
    const state = standardCircle();
    expect(state.timer).toEqual(IDLE_TIMER);
    const { state: next, effects } = expectChanged(
      state,
      act(state, 'f', { type: 'timer.start', durationMs: 90_000, label: 'Round one' }),
    );
    expect(next.timer).toEqual({ label: 'Round one', durationMs: 90_000, running: true, endsAt: NOW + 90_000, remainingMs: 90_000 });
    expect(effects).toEqual([{ type: 'schedule', at: NOW + 90_000, command: { type: 'timer.finish', endsAt: NOW + 90_000 } }]);
  });

  it('start without a label clears the old label', () => {
    const state = withTimer(standardCircle(), { label: 'Old', durationMs: 5_000, remainingMs: 2_000 });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'timer.start', durationMs: 1_000 }));
    expect(next.timer).toEqual({ label: '', durationMs: 1_000, running: true, endsAt: NOW + 1_000, remainingMs: 1_000 });
  });

  it('start while running restarts it', () => {
    const state = withTimer(standardCircle(), { durationMs: 60_000, running: true, endsAt: NOW + 10_000, remainingMs: 60_000 });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'timer.start', durationMs: 30_000 }));
    expect(next.timer).toMatchObject({ running: true, endsAt: NOW + 30_000, remainingMs: 30_000, durationMs: 30_000 });
  });

  it('pause: running false, endsAt null, remainingMs = what was left', () => {
    const state = withTimer(standardCircle(), { label: 'L', durationMs: 60_000, running: true, endsAt: NOW + 25_000, remainingMs: 60_000 });
    const { state: next, effects } = expectChanged(state, act(state, 'f', { type: 'timer.pause' }));
    expect(next.timer).toEqual({ label: 'L', durationMs: 60_000, running: false, endsAt: null, remainingMs: 25_000 });
    expect(effects).toEqual([]);
  });

  it('pause after endsAt (before the finish arrives) leaves 0, never negative', () => {
    const state = withTimer(standardCircle(), { durationMs: 60_000, running: true, endsAt: NOW - 500, remainingMs: 60_000 });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'timer.pause' }));
    expect(next.timer.remainingMs).toBe(0);
  });

  it('pause when not running is conflict', () => {
    const idle = standardCircle();
    expectRejected(act(idle, 'f', { type: 'timer.pause' }), 'conflict');
    const paused = withTimer(idle, { durationMs: 60_000, remainingMs: 20_000 });
    expectRejected(act(paused, 'f', { type: 'timer.pause' }), 'conflict');
  });

  it('resume: running from the paused remainder, remainingMs kept, finish scheduled', () => {
    const state = withTimer(standardCircle(), { label: 'L', durationMs: 60_000, running: false, endsAt: null, remainingMs: 20_000 });
    const { state: next, effects } = expectChanged(state, act(state, 'f', { type: 'timer.resume' }));
    expect(next.timer).toEqual({ label: 'L', durationMs: 60_000, running: true, endsAt: NOW + 20_000, remainingMs: 20_000 });
    expect(effects).toEqual([{ type: 'schedule', at: NOW + 20_000, command: { type: 'timer.finish', endsAt: NOW + 20_000 } }]);
  });

  it('resume when running is conflict', () => {
    const state = withTimer(standardCircle(), { durationMs: 60_000, running: true, endsAt: NOW + 1_000, remainingMs: 60_000 });
    expectRejected(act(state, 'f', { type: 'timer.resume' }), 'conflict');
  });

  it('resume when finished is conflict', () => {
    const state = withTimer(standardCircle(), { durationMs: 60_000, running: false, endsAt: null, remainingMs: 0 });
    expectRejected(act(state, 'f', { type: 'timer.resume' }), 'conflict');
  });

  it('reset: running false, endsAt null, remainingMs = durationMs, label kept', () => {
    const state = withTimer(standardCircle(), { label: 'L', durationMs: 60_000, running: true, endsAt: NOW + 5_000, remainingMs: 60_000 });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'timer.reset' }));
    expect(next.timer).toEqual({ label: 'L', durationMs: 60_000, running: false, endsAt: null, remainingMs: 60_000 });
  });

  it('reset of a finished timer restores its duration', () => {
    const state = withTimer(standardCircle(), { durationMs: 60_000, remainingMs: 0 });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'timer.reset' }));
    expect(next.timer.remainingMs).toBe(60_000);
  });

  it('reset of an idle timer is a no-op', () => {
    const state = standardCircle();
    expectNoop(state, act(state, 'f', { type: 'timer.reset' }));
  });

  it('a full start → pause → resume → finish cycle', () => {
    let state = standardCircle();
    state = expectChanged(state, act(state, 'f', { type: 'timer.start', durationMs: 10_000 }, 1_000)).state;
    state = expectChanged(state, act(state, 'f', { type: 'timer.pause' }, 4_000)).state;
    expect(state.timer.remainingMs).toBe(7_000);
    const resumed = expectChanged(state, act(state, 'f', { type: 'timer.resume' }, 100_000));
    state = resumed.state;
    expect(state.timer.endsAt).toBe(107_000);
    expect(state.timer.remainingMs).toBe(7_000);
    // The finish scheduled at the earlier start no longer matches.
    expectNoop(state, act(state, 'system', { type: 'timer.finish', endsAt: 11_000 }, 107_000));
    const finished = expectChanged(state, act(state, 'system', { type: 'timer.finish', endsAt: 107_000 }, 107_000));
    expect(finished.state.timer).toEqual({ label: '', durationMs: 10_000, running: false, endsAt: null, remainingMs: 0 });
  });
});

describe('timer.finish (system)', () => {
  const running = () => withTimer(standardCircle(), { durationMs: 60_000, running: true, endsAt: NOW, remainingMs: 60_000 });

  it('at endsAt marks the timer finished', () => {
    const state = running();
    const { state: next } = expectChanged(state, act(state, 'system', { type: 'timer.finish', endsAt: NOW }, NOW));
    expect(next.timer).toEqual({ label: '', durationMs: 60_000, running: false, endsAt: null, remainingMs: 0 });
  });

  it('late is still fine', () => {
    const state = running();
    expectChanged(state, act(state, 'system', { type: 'timer.finish', endsAt: NOW }, NOW + 3_000));
  });

  it('a little before endsAt changes nothing but tries again at endsAt', () => {
    const state = running();
    const decision = act(state, 'system', { type: 'timer.finish', endsAt: NOW }, NOW - 1);
    expect(decision).toMatchObject({ ok: true, changed: false, state });
    expect(decision.ok && decision.effects).toEqual([{ type: 'schedule', at: NOW, command: { type: 'timer.finish', endsAt: NOW } }]);
  });

  it('with a stale endsAt is a no-op', () => {
    const state = running();
    expectNoop(state, act(state, 'system', { type: 'timer.finish', endsAt: NOW - 10 }, NOW + 10));
  });

  it('on a paused timer is a no-op', () => {
    const state = withTimer(standardCircle(), { durationMs: 60_000, running: false, endsAt: null, remainingMs: 5_000 });
    expectNoop(state, act(state, 'system', { type: 'timer.finish', endsAt: NOW }, NOW));
  });
});

describe('name.set', () => {
  it('renames the actor only', () => {
    const state = standardCircle();
    const { state: next } = expectChanged(state, act(state, 'b', { type: 'name.set', name: 'Bea' }));
    expect(member(next, 'b').name).toBe('Bea');
    expect(next.participants.filter((p) => p.id !== 'b')).toEqual(state.participants.filter((p) => p.id !== 'b'));
  });

  it('to the same name is a no-op', () => {
    const state = standardCircle();
    expectNoop(state, act(state, 'b', { type: 'name.set', name: 'Name b' }));
  });
});

describe('participant.remove', () => {
  it('removes the member and asks the server to disconnect them', () => {
    const state = standardCircle();
    const { state: next, effects } = expectChanged(state, act(state, 'f', { type: 'participant.remove', participantId: 'b' }));
    expect(next.participants.map((p) => p.id)).toEqual(['f', 'a', 'c']);
    expect(effects).toContainEqual({ type: 'disconnect', participantId: 'b', reason: 'removed' });
  });

  it("a removed holder's piece goes to the centre and they leave the queue", () => {
    const state = standardCircle({ holderId: 'b', queue: ['a', 'b', 'c'] });
    const { state: next, effects } = expectChanged(state, act(state, 'f', { type: 'participant.remove', participantId: 'b' }));
    expect(next.piece).toEqual({ mode: 'round', holderId: null, since: null, queue: ['a', 'c'] });
    // The removed member is gone: no media change is listed for them, nobody else's right changed.
    expect(mediaChanges(effects)).toBeUndefined();
  });

  it('removing a non-holder keeps the holder', () => {
    const state = standardCircle({ holderId: 'a', queue: ['b'] });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'participant.remove', participantId: 'b' }));
    expect(next.piece).toEqual({ mode: 'round', holderId: 'a', since: T0, queue: [] });
  });

  it('an away member can be removed too', () => {
    const state = standardCircle({ away: ['c'] });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'participant.remove', participantId: 'c' }));
    expect(next.participants.some((p) => p.id === 'c')).toBe(false);
  });

  it('a facilitator may remove another facilitator', () => {
    const state = makeCircle({ members: [{ id: 'f', role: 'facilitator' }, { id: 'g', role: 'facilitator' }] });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'participant.remove', participantId: 'g' }));
    expect(next.participants.map((p) => p.id)).toEqual(['f']);
  });

  it('an unknown id is not_found', () => {
    const state = standardCircle();
    expectRejected(act(state, 'f', { type: 'participant.remove', participantId: 'nobody' }), 'not_found');
  });

  it('oneself is conflict', () => {
    const state = standardCircle();
    expectRejected(act(state, 'f', { type: 'participant.remove', participantId: 'f' }), 'conflict');
  });

  it('by a participant is forbidden, even for an unknown id or themselves', () => {
    const state = standardCircle();
    expectRejected(act(state, 'a', { type: 'participant.remove', participantId: 'nobody' }), 'forbidden');
    expectRejected(act(state, 'a', { type: 'participant.remove', participantId: 'a' }), 'forbidden');
  });
});

describe('circle.lock', () => {
  it('locks and unlocks', () => {
    const state = standardCircle();
    const locked = expectChanged(state, act(state, 'f', { type: 'circle.lock', locked: true })).state;
    expect(locked.locked).toBe(true);
    const unlocked = expectChanged(locked, act(locked, 'f', { type: 'circle.lock', locked: false })).state;
    expect(unlocked.locked).toBe(false);
    expect(unlocked.version).toBe(state.version + 2);
  });

  it('locking a locked circle is a no-op', () => {
    const state: CircleState = { ...standardCircle(), locked: true };
    expectNoop(state, act(state, 'f', { type: 'circle.lock', locked: true }));
  });
});

describe('member.join (system)', () => {
  it('seats a new connected member after the highest seat', () => {
    const state = makeCircle({ members: [{ id: 'f', role: 'facilitator', seat: 1 }, { id: 'a', seat: 7 }] });
    const { state: next } = expectChanged(
      state,
      act(state, 'system', { type: 'member.join', participant: { id: 'n', name: 'New', role: 'participant' } }),
    );
    expect(member(next, 'n')).toEqual({ id: 'n', name: 'New', role: 'participant', connected: true, seat: 8, awaySince: null });
  });

  it('the first member takes seat 1', () => {
    const state = makeCircle();
    const { state: next } = expectChanged(
      state,
      act(state, 'system', { type: 'member.join', participant: { id: 'n', name: 'New', role: 'facilitator' } }),
    );
    expect(member(next, 'n').seat).toBe(1);
  });

  it('a taken id is conflict', () => {
    const state = standardCircle();
    expectRejected(act(state, 'system', { type: 'member.join', participant: { id: 'a', name: 'A', role: 'participant' } }), 'conflict');
  });

  it('a joining facilitator is not a media change (they are not "before")', () => {
    const state = standardCircle();
    const { effects } = expectChanged(
      state,
      act(state, 'system', { type: 'member.join', participant: { id: 'g', name: 'G', role: 'facilitator' } }),
    );
    expect(mediaChanges(effects)).toBeUndefined();
  });
});

describe('member.leave and member.return (system)', () => {
  it('leave marks the member away and schedules their grace end', () => {
    const state = standardCircle({ holderId: 'a' });
    const { state: next, effects } = expectChanged(state, act(state, 'system', { type: 'member.leave', participantId: 'a' }));
    expect(member(next, 'a')).toMatchObject({ connected: false, awaySince: NOW });
    // The holder keeps the piece during the grace period.
    expect(next.piece.holderId).toBe('a');
    expect(effects).toEqual([
      { type: 'schedule', at: NOW + GRACE_MS, command: { type: 'presence.grace-end', participantId: 'a', awaySince: NOW } },
    ]);
  });

  it('leave uses the configured grace', () => {
    const state = standardCircle();
    const { effects } = expectChanged(state, act(state, 'system', { type: 'member.leave', participantId: 'b' }, NOW, 5_000));
    expect(effects).toEqual([
      { type: 'schedule', at: NOW + 5_000, command: { type: 'presence.grace-end', participantId: 'b', awaySince: NOW } },
    ]);
  });

  it('leave of an away member is a no-op', () => {
    const state = standardCircle({ away: ['a'] });
    expectNoop(state, act(state, 'system', { type: 'member.leave', participantId: 'a' }));
  });

  it('leave of an unknown member is not_found', () => {
    expectRejected(act(standardCircle(), 'system', { type: 'member.leave', participantId: 'nobody' }), 'not_found');
  });

  it('return marks the member here again, keeping seat, queue place and piece', () => {
    const state = standardCircle({ holderId: 'a', queue: ['b', 'a'], away: ['a'] });
    const { state: next } = expectChanged(
      state,
      act(state, 'system', { type: 'member.return', participantId: 'a', role: 'participant' }),
    );
    expect(member(next, 'a')).toMatchObject({ connected: true, awaySince: null, seat: 2, role: 'participant' });
    expect(next.piece).toEqual(state.piece);
  });

  it('return with a facilitator role promotes a participant', () => {
    const state = standardCircle();
    const { state: next, effects } = expectChanged(
      state,
      act(state, 'system', { type: 'member.return', participantId: 'a', role: 'facilitator' }),
    );
    expect(member(next, 'a').role).toBe('facilitator');
    expect(mediaChanges(effects)).toEqual([{ participantId: 'a', maySpeak: true }]);
  });

  it('return never demotes a facilitator', () => {
    const state = standardCircle({ away: ['f'] });
    const { state: next } = expectChanged(
      state,
      act(state, 'system', { type: 'member.return', participantId: 'f', role: 'participant' }),
    );
    expect(member(next, 'f').role).toBe('facilitator');
  });

  it('return of a connected member with the same role is a no-op', () => {
    const state = standardCircle();
    expectNoop(state, act(state, 'system', { type: 'member.return', participantId: 'a', role: 'participant' }));
  });

  it('return of an unknown member is not_found', () => {
    expectRejected(
      act(standardCircle(), 'system', { type: 'member.return', participantId: 'nobody', role: 'participant' }),
      'not_found',
    );
  });
});

describe('presence.grace-end (system)', () => {
  const graceEnd = (participantId: string, awaySince: number): SystemCommand => ({ type: 'presence.grace-end', participantId, awaySince });

  it('a holder back in time keeps the piece: the stale grace end is a no-op', () => {
    let state = standardCircle({ holderId: 'a' });
    state = expectChanged(state, act(state, 'system', { type: 'member.leave', participantId: 'a' }, NOW)).state;
    state = expectChanged(state, act(state, 'system', { type: 'member.return', participantId: 'a', role: 'participant' }, NOW + 5_000)).state;
    expectNoop(state, act(state, 'system', graceEnd('a', NOW), NOW + GRACE_MS));
    expect(state.piece.holderId).toBe('a');
  });

  it('a grace end from an earlier absence is a no-op even while away again', () => {
    const state = standardCircle({ holderId: 'a', away: ['a'] }); // away since NOW - 1000
    expectNoop(state, act(state, 'system', graceEnd('a', NOW - 50_000), NOW + GRACE_MS));
  });

  it('in round mode moves the piece to the next connected seat', () => {
    const awaySince = NOW - 1_000;
    const state = standardCircle({ holderId: 'a', away: ['a', 'b'] });
    const { state: next } = expectChanged(state, act(state, 'system', graceEnd('a', awaySince), awaySince + GRACE_MS));
    expect(next.piece.holderId).toBe('c');
    expect(next.piece.since).toBe(awaySince + GRACE_MS);
  });

  it('in round mode wraps to the lowest connected seat', () => {
    const state = standardCircle({ holderId: 'c', away: ['c', 'f'] });
    const { state: next } = expectChanged(state, act(state, 'system', graceEnd('c', NOW - 1_000)));
    expect(next.piece.holderId).toBe('a');
  });

  it('in popcorn mode moves the piece to the connected queue head, who leaves the queue', () => {
    const state = standardCircle({ mode: 'popcorn', holderId: 'a', away: ['a', 'b'], queue: ['b', 'c', 'f'] });
    const { state: next } = expectChanged(state, act(state, 'system', graceEnd('a', NOW - 1_000)));
    expect(next.piece.holderId).toBe('c');
    expect(next.piece.queue).toEqual(['b', 'f']);
  });

  it('in popcorn mode with no connected queue member moves the piece to the centre', () => {
    const state = standardCircle({ mode: 'popcorn', holderId: 'a', away: ['a', 'b'], queue: ['b'] });
    const { state: next } = expectChanged(state, act(state, 'system', graceEnd('a', NOW - 1_000)));
    expect(next.piece.holderId).toBeNull();
    expect(next.piece.since).toBeNull();
  });

  it('with nobody connected moves the piece to the centre', () => {
    const state = standardCircle({ holderId: 'a', away: ['f', 'a', 'b', 'c'] });
    const { state: next } = expectChanged(state, act(state, 'system', graceEnd('a', NOW - 1_000)));
    expect(next.piece.holderId).toBeNull();
  });

  it('an away queue member leaves the queue after the grace', () => {
    const state = standardCircle({ mode: 'popcorn', holderId: 'f', away: ['b'], queue: ['a', 'b', 'c'] });
    const { state: next } = expectChanged(state, act(state, 'system', graceEnd('b', NOW - 1_000)));
    expect(next.piece).toEqual({ mode: 'popcorn', holderId: 'f', since: T0, queue: ['a', 'c'] });
  });

  it('the away holder also leaves the queue', () => {
    const state = standardCircle({ holderId: 'a', away: ['a'], queue: ['a', 'c'] });
    const { state: next } = expectChanged(state, act(state, 'system', graceEnd('a', NOW - 1_000)));
    expect(next.piece.holderId).toBe('b');
    expect(next.piece.queue).toEqual(['c']);
  });

  it('the media permissions follow the piece', () => {
    const state = standardCircle({ holderId: 'a', away: ['a'] });
    const { effects } = expectChanged(state, act(state, 'system', graceEnd('a', NOW - 1_000)));
    expect(mediaChanges(effects)).toEqual([
      { participantId: 'a', maySpeak: false },
      { participantId: 'b', maySpeak: true },
    ]);
  });

  it('for a member who is not holder nor queued is a no-op', () => {
    const state = standardCircle({ holderId: 'f', away: ['b'] });
    expectNoop(state, act(state, 'system', graceEnd('b', NOW - 1_000)));
  });

  it('for a removed member is a no-op', () => {
    const state = standardCircle();
    expectNoop(state, act(state, 'system', graceEnd('gone', NOW - 1_000)));
  });

  it('for a connected member is a no-op', () => {
    const state = standardCircle({ holderId: 'a', queue: ['a'] });
    expectNoop(state, act(state, 'system', graceEnd('a', NOW - 1_000)));
  });
});

describe('server.restart (system)', () => {
  it('marks everyone connected away and schedules their grace ends from start-up', () => {
    const earlier = NOW - 20_000;
    const state = standardCircle({ holderId: 'a', away: ['c'] });
    const withEarlier: CircleState = {
      ...state,
      participants: state.participants.map((p) => (p.id === 'c' ? { ...p, awaySince: earlier } : p)),
    };
    const { state: next, effects } = expectChanged(withEarlier, act(withEarlier, 'system', { type: 'server.restart' }));
    expect(next.participants.map((p) => [p.id, p.connected, p.awaySince])).toEqual([
      ['f', false, NOW],
      ['a', false, NOW],
      ['b', false, NOW],
      ['c', false, earlier],
    ]);
    // The holder keeps the piece through the grace.
    expect(next.piece.holderId).toBe('a');
    const schedules = effects.filter((e) => e.type === 'schedule');
    expect(schedules).toEqual([
      { type: 'schedule', at: NOW + GRACE_MS, command: { type: 'presence.grace-end', participantId: 'f', awaySince: NOW } },
      { type: 'schedule', at: NOW + GRACE_MS, command: { type: 'presence.grace-end', participantId: 'a', awaySince: NOW } },
      { type: 'schedule', at: NOW + GRACE_MS, command: { type: 'presence.grace-end', participantId: 'b', awaySince: NOW } },
      // Already away: the grace still counts from start-up, with the awaySince the state holds.
      { type: 'schedule', at: NOW + GRACE_MS, command: { type: 'presence.grace-end', participantId: 'c', awaySince: earlier } },
    ]);
    // Presence is not a right to speak: nothing changes for media.
    expect(mediaChanges(effects)).toBeUndefined();
  });

  it('the scheduled grace ends do move the piece', () => {
    const state = standardCircle({ holderId: 'a' });
    const restarted = expectChanged(state, act(state, 'system', { type: 'server.restart' }));
    let current = restarted.state;
    // `b` comes back in time; the others do not.
    current = expectChanged(current, act(current, 'system', { type: 'member.return', participantId: 'b', role: 'participant' }, NOW + 1_000)).state;
    for (const effect of restarted.effects) {
      if (effect.type !== 'schedule') continue;
      const decision = act(current, 'system', effect.command, effect.at);
      current = expectAccepted(decision).state;
    }
    expect(current.piece.holderId).toBe('b');
  });

  it('keeps a running timer unchanged and schedules its finish', () => {
    const state = withTimer(standardCircle(), { durationMs: 60_000, running: true, endsAt: NOW + 40_000, remainingMs: 60_000 });
    const { state: next, effects } = expectChanged(state, act(state, 'system', { type: 'server.restart' }));
    expect(next.timer).toEqual(state.timer);
    expect(effects).toContainEqual({ type: 'schedule', at: NOW + 40_000, command: { type: 'timer.finish', endsAt: NOW + 40_000 } });
  });

  it('schedules nothing for a paused timer', () => {
    const state = withTimer(standardCircle(), { durationMs: 60_000, remainingMs: 30_000 });
    const { effects } = expectChanged(state, act(state, 'system', { type: 'server.restart' }));
    expect(effects.some((e) => e.type === 'schedule' && e.command.type === 'timer.finish')).toBe(false);
  });

  it('with everyone already away still schedules the grace ends and the timer finish', () => {
    // E.g. two restarts in a row, or a restart after everyone dropped: the state does not change,
    // but the schedules of the previous process are gone and must be made again.
    const state = withTimer(standardCircle({ holderId: 'a', away: ['f', 'a', 'b', 'c'] }), {
      durationMs: 60_000,
      running: true,
      endsAt: NOW + 40_000,
      remainingMs: 60_000,
    });
    const decision = expectAccepted(act(state, 'system', { type: 'server.restart' }));
    expect(decision.changed).toBe(false);
    expect(decision.state.version).toBe(state.version);
    expect(decision.effects).toContainEqual({ type: 'schedule', at: NOW + 40_000, command: { type: 'timer.finish', endsAt: NOW + 40_000 } });
    expect(decision.effects).toContainEqual({
      type: 'schedule',
      at: NOW + GRACE_MS,
      command: { type: 'presence.grace-end', participantId: 'a', awaySince: NOW - 1_000 },
    });
  });
});

describe('media.permissions effect', () => {
  it('lists exactly the old and the new holder on a pass', () => {
    const state = standardCircle({ holderId: 'a' });
    const { effects } = expectChanged(state, act(state, 'a', { type: 'piece.pass', to: 'c' }));
    expect(mediaChanges(effects)).toEqual([
      { participantId: 'a', maySpeak: false },
      { participantId: 'c', maySpeak: true },
    ]);
  });

  it('leaves out a facilitator who may speak either way', () => {
    const state = standardCircle({ holderId: 'a' });
    const { effects } = expectChanged(state, act(state, 'a', { type: 'piece.pass', to: 'f' }));
    expect(mediaChanges(effects)).toEqual([{ participantId: 'a', maySpeak: false }]);
  });

  it('includes a facilitator when facilitators may not speak', () => {
    const base = standardCircle({ holderId: 'a' });
    const state: CircleState = { ...base, settings: { ...base.settings, facilitatorsMaySpeak: false } };
    const { effects } = expectChanged(state, act(state, 'a', { type: 'piece.pass', to: 'f' }));
    expect(mediaChanges(effects)).toEqual([
      { participantId: 'f', maySpeak: true },
      { participantId: 'a', maySpeak: false },
    ]);
  });

  it('is absent when no right changes', () => {
    const state = standardCircle({ holderId: 'a' });
    expect(mediaChanges(expectChanged(state, act(state, 'b', { type: 'hand.raise' })).effects)).toBeUndefined();
    expect(mediaChanges(expectChanged(state, act(state, 'f', { type: 'stage.advance' })).effects)).toBeUndefined();
  });

  it('on piece.take lists the previous holder and not the facilitator', () => {
    const state = standardCircle({ holderId: 'b' });
    const { effects } = expectChanged(state, act(state, 'f', { type: 'piece.take' }));
    expect(mediaChanges(effects)).toEqual([{ participantId: 'b', maySpeak: false }]);
  });
});

describe('nextInRound', () => {
  it('returns null when nobody is connected', () => {
    expect(nextInRound(standardCircle({ away: ['f', 'a', 'b', 'c'] }), null)).toBeNull();
  });

  it('from an unknown id starts at the lowest connected seat', () => {
    expect(nextInRound(standardCircle({ away: ['f'] }), 'gone')).toBe('a');
  });
});

describe('decide is deterministic', () => {
  it('gives equal results for equal inputs', () => {
    const state = standardCircle({ holderId: 'a', queue: ['b'] });
    const ctx = { actor: { kind: 'member', id: 'a' } as const, now: NOW, holderGraceMs: GRACE_MS };
    expect(decide(state, { type: 'piece.pass' }, ctx)).toEqual(decide(structuredClone(state), { type: 'piece.pass' }, ctx));
  });
});
