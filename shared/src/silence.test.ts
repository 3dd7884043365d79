import { describe, expect, it } from 'vitest';
import { audibleTo, maySpeak, maySpeakById } from './speaking.js';
import type { CircleState } from './state.js';
import { act, expectChanged, expectNoop, makeCircle, mediaChanges, NOW, standardCircle } from './test-support.js';

/** Silence: nobody may speak while it holds; at its end the server ends it with a bell; a restart re-arms that. */

const silent = (state: CircleState, endsAt: number | null = null): CircleState => ({ ...state, silence: { since: NOW - 1_000, endsAt } });

describe('who may speak during silence', () => {
  it('nobody: not the holder, not facilitators, not in open mode', () => {
    for (const state of [standardCircle({ holderId: 'a' }), standardCircle({ mode: 'open' }), standardCircle({ mode: 'popcorn', holderId: 'f' })]) {
      // Before the silence someone may speak…
      expect(state.participants.some((p) => maySpeak(state, p))).toBe(true);
      const quiet = silent(state);
      for (const p of quiet.participants) expect(maySpeak(quiet, p), p.id).toBe(false);
      for (const p of quiet.participants) expect(maySpeakById(quiet, p.id)).toBe(false);
      expect(audibleTo(quiet, 'a')).toEqual(new Set());
    }
  });

  it('a facilitator taking the piece during silence still may not speak', () => {
    const state = silent(standardCircle());
    const { state: next, effects } = expectChanged(state, act(state, 'f', { type: 'piece.take' }));
    expect(next.piece.holderId).toBe('f');
    expect(maySpeakById(next, 'f')).toBe(false);
    expect(mediaChanges(effects)).toBeUndefined();
  });

  it('mode changes during silence grant nobody a microphone', () => {
    const state = silent(standardCircle());
    const { effects } = expectChanged(state, act(state, 'f', { type: 'piece.mode', mode: 'open' }));
    expect(mediaChanges(effects)).toBeUndefined();
    // …and when it ends, everyone may speak.
    const open = silent(standardCircle({ mode: 'open' }));
    expect(mediaChanges(expectChanged(open, act(open, 'f', { type: 'silence.end' })).effects)).toEqual(
      ['f', 'a', 'b', 'c'].map((participantId) => ({ participantId, maySpeak: true })),
    );
  });
});

describe('silence.finish (system)', () => {
  it('at endsAt the silence ends with one bell, and rights to speak come back', () => {
    const state = silent(standardCircle({ holderId: 'a' }), NOW);
    const { state: next, effects } = expectChanged(state, act(state, 'system', { type: 'silence.finish', endsAt: NOW }, NOW));
    expect(next.silence).toBeNull();
    expect(next.bell).toEqual({ id: 1, strikes: 1, at: NOW + 300 });
    expect(mediaChanges(effects)).toEqual([
      { participantId: 'f', maySpeak: true },
      { participantId: 'a', maySpeak: true },
    ]);
  });

  it('late is still fine', () => {
    const state = silent(standardCircle(), NOW);
    expect(expectChanged(state, act(state, 'system', { type: 'silence.finish', endsAt: NOW }, NOW + 5_000)).state.silence).toBeNull();
  });

  it('a wake-up a little early changes nothing and tries again at endsAt', () => {
    const state = silent(standardCircle(), NOW + 100);
    const decision = act(state, 'system', { type: 'silence.finish', endsAt: NOW + 100 }, NOW);
    expect(decision).toEqual({ ok: true, changed: false, state, effects: [{ type: 'schedule', at: NOW + 100, command: { type: 'silence.finish', endsAt: NOW + 100 } }] });
  });

  it('a stale wake-up (the silence was ended or replaced) changes nothing', () => {
    const replaced = silent(standardCircle(), NOW + 60_000);
    expectNoop(replaced, act(replaced, 'system', { type: 'silence.finish', endsAt: NOW }, NOW));
    const unending = silent(standardCircle(), null);
    expectNoop(unending, act(unending, 'system', { type: 'silence.finish', endsAt: NOW }, NOW));
    const over = standardCircle();
    expectNoop(over, act(over, 'system', { type: 'silence.finish', endsAt: NOW }, NOW));
  });

  it('a member cannot send it', () => {
    const state = silent(standardCircle(), NOW);
    const decision = act(state, 'f', { type: 'silence.finish', endsAt: NOW });
    expect(decision.ok).toBe(false);
  });

  it('silence started, then its wake-up: one version each', () => {
    const state = standardCircle({ version: 5 });
    const started = expectChanged(state, act(state, 'f', { type: 'silence.start', durationMs: 5_000 }, NOW));
    const wake = started.effects.find((e) => e.type === 'schedule');
    expect(wake).toEqual({ type: 'schedule', at: NOW + 5_000, command: { type: 'silence.finish', endsAt: NOW + 5_000 } });
    if (wake?.type !== 'schedule') return;
    const ended = expectChanged(started.state, act(started.state, 'system', wake.command, wake.at));
    expect(ended.state.version).toBe(7);
    expect(ended.state.silence).toBeNull();
  });
});

describe('server.restart re-arms the silence', () => {
  it('a silence with an end is scheduled to finish at its endsAt', () => {
    const state = silent(makeCircle({ members: [{ id: 'f', role: 'facilitator' }] }), NOW + 20_000);
    const decision = act(state, 'system', { type: 'server.restart' }, NOW);
    if (!decision.ok) expect.fail('restart refused');
    expect(decision.effects).toContainEqual({ type: 'schedule', at: NOW + 20_000, command: { type: 'silence.finish', endsAt: NOW + 20_000 } });
    expect(decision.state.silence).toEqual(state.silence);
  });

  it('even when nothing else changes (everyone already away)', () => {
    const state = silent(makeCircle({ members: [{ id: 'f', role: 'facilitator', connected: false }] }), NOW + 20_000);
    const decision = act(state, 'system', { type: 'server.restart' }, NOW);
    if (!decision.ok) expect.fail('restart refused');
    expect(decision.effects).toContainEqual({ type: 'schedule', at: NOW + 20_000, command: { type: 'silence.finish', endsAt: NOW + 20_000 } });
  });

  it('a silence without an end, or none, schedules no finish', () => {
    for (const state of [silent(standardCircle(), null), standardCircle()]) {
      const decision = act(state, 'system', { type: 'server.restart' }, NOW);
      if (!decision.ok) expect.fail('restart refused');
      expect(decision.effects.filter((e) => e.type === 'schedule' && e.command.type === 'silence.finish')).toEqual([]);
    }
  });

  it('a silence that ran out while the server was down ends at start-up (the wake-up is due at once)', () => {
    const state = silent(standardCircle(), NOW - 10_000);
    const decision = act(state, 'system', { type: 'server.restart' }, NOW);
    if (!decision.ok) expect.fail('restart refused');
    const wake = decision.effects.find((e) => e.type === 'schedule' && e.command.type === 'silence.finish');
    expect(wake).toMatchObject({ at: NOW - 10_000 });
    if (wake?.type !== 'schedule') return;
    expect(expectChanged(decision.state, act(decision.state, 'system', wake.command, NOW)).state.silence).toBeNull();
  });
});
