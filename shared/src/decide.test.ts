import { describe, expect, it } from 'vitest';
import { CIRCLE_COMMAND_TYPES, type CircleCommand, type CircleCommandType } from './commands.js';
import { FACILITATOR_COMMANDS } from './permissions.js';
import { decide, nextInRound } from './decide.js';
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
const EXAMPLES: Record<CircleCommandType, CircleCommand> = {
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
  'participants.remove': { type: 'participants.remove', participantIds: ['b'] },
  'circle.lock': { type: 'circle.lock', locked: true },
  'plan.set': { type: 'plan.set', steps: [] },
  'plan.go': { type: 'plan.go', index: 0 },
  'plan.next': { type: 'plan.next' },
  'bell.ring': { type: 'bell.ring', strikes: 2 },
  'silence.start': { type: 'silence.start', durationMs: 60_000 },
  'silence.end': { type: 'silence.end' },
  'gesture.send': { type: 'gesture.send', kind: 'heart' },
  'seats.order': { type: 'seats.order', participantIds: ['c', 'b', 'a', 'f'] },
  'timer.add': { type: 'timer.add', ms: 60_000 },
  'participant.role': { type: 'participant.role', participantId: 'b', role: 'facilitator' },
  'intention.share': { type: 'intention.share', text: 'Plant a hedge with my street' },
  'intention.withdraw': { type: 'intention.withdraw' },
  'breakout.open': { type: 'breakout.open', size: 2 },
  'breakout.swap': { type: 'breakout.swap' },
  'breakout.pass': { type: 'breakout.pass' },
  'breakout.broadcast': { type: 'breakout.broadcast', text: 'Two more minutes' },
  'breakout.visit': { type: 'breakout.visit', groupId: null },
  'breakout.close': { type: 'breakout.close' },
  'breakout.help': { type: 'breakout.help' },
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
});

describe('decide: authorisation matrix', () => {
  const facilitatorOnly = CIRCLE_COMMAND_TYPES.filter((t) => FACILITATOR_COMMANDS.has(t));

  it('lists the facilitator-only commands of PROTOCOL.md', () => {
    expect([...facilitatorOnly].sort()).toEqual(
      [
        'circle.lock',
        'participant.remove',
        'participants.remove',
        'piece.mode',
        'piece.take',
        'stage.advance',
        'stage.set',
        'timer.pause',
        'timer.reset',
        'timer.resume',
        'timer.start',
        'plan.set',
        'plan.go',
        'plan.next',
        'bell.ring',
        'silence.start',
        'silence.end',
        'seats.order',
        'timer.add',
        'participant.role',
        'breakout.open',
        'breakout.swap',
        'breakout.broadcast',
        'breakout.visit',
        'breakout.close',
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

  it.each(CIRCLE_COMMAND_TYPES.filter((t) => !FACILITATOR_COMMANDS.has(t)))('%s is open to the right participant', (type) => {
    // `a` holds the piece in round mode and has the turn in a pair with `b`: every non-facilitator
    // command is theirs to send.
    const base = standardCircle({ holderId: 'a', queue: ['a'] });
    const inPair = { id: 'b1', prompt: '', mode: 'turns' as const, groups: [{ id: 'b1g1', memberIds: ['a', 'b'], speakerId: 'a', helpAt: null }], message: null, visits: {}, endsAt: null, closingAt: null };
    const state = type.startsWith('breakout.') ? { ...base, breakouts: inPair } : base;
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

describe('participants.remove (clearing a wave of newcomers, issue 14)', () => {
  it('removes every listed participant at once, disconnecting each; facilitators and the sender stay', () => {
    const state = standardCircle({ holderId: 'b', queue: ['a', 'b', 'c'] });
    const { state: next, effects } = expectChanged(state, act(state, 'f', { type: 'participants.remove', participantIds: ['b', 'c', 'f', 'nobody'] }));
    expect(next.participants.map((p) => p.id)).toEqual(['f', 'a']);
    expect(next.piece.holderId).toBeNull();
    expect(next.piece.queue).toEqual(['a']);
    expect(effects).toContainEqual({ type: 'disconnect', participantId: 'b', reason: 'removed' });
    expect(effects).toContainEqual({ type: 'disconnect', participantId: 'c', reason: 'removed' });
    expect(effects.filter((e) => e.type === 'disconnect')).toHaveLength(2);
  });

  it('is refused when nobody listed can be removed, and for a participant', () => {
    const state = standardCircle();
    expectRejected(act(state, 'f', { type: 'participants.remove', participantIds: ['f', 'nobody'] }), 'not_found');
    expectRejected(act(state, 'a', { type: 'participants.remove', participantIds: ['b'] }), 'forbidden');
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
