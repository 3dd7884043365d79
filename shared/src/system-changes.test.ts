import { describe, expect, it } from 'vitest';
import type { SystemCommand } from './decide.js';
import type { CircleState } from './state.js';
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

/** The server's own changes: joins and departures, grace periods ending, timers finishing, restarts. */

const withTimer = (state: CircleState, timer: Partial<CircleState['timer']>): CircleState => ({
  ...state,
  timer: { ...state.timer, ...timer },
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
