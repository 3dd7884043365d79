import { describe, expect, it } from 'vitest';
import { admissionRefusal, connectedCount, createCircleState, seatsHeld } from './circle.js';
import { circleStateSchema } from './state.js';
import { CONVERSATION_CAFE_AGREEMENTS } from './templates.js';
import { makeCircle, standardCircle } from './test-support.js';

describe('createCircleState', () => {
  it('starts a wtr-spiral circle at gratitude, cycle 1, in round mode with 2-minute turns', () => {
    const state = createCircleState({ id: 'c1', title: 'Circle', template: 'wtr-spiral', now: 123 });
    expect(state).toEqual({
      id: 'c1',
      title: 'Circle',
      template: 'wtr-spiral',
      version: 1,
      locked: false,
      stage: { key: 'gratitude', cycle: 1, since: 123 },
      participants: [],
      piece: { mode: 'round', holderId: null, since: null, queue: [] },
      timer: { label: '', durationMs: 0, running: false, endsAt: null, remainingMs: 0 },
      settings: { speakerTimeMs: 120_000, facilitatorsMaySpeak: true, maxParticipants: 50 },
      agreements: [],
      plan: { steps: state.plan.steps, current: null, history: [] },
      bell: null,
      silence: null,
      breakouts: null,
      question: '',
      intentions: [],
      gathering: { startsAt: null, durationMin: null, description: '', listed: false, timeZone: null },
      activeAt: 123,
    });
    expect(state.plan.steps.length).toBeGreaterThanOrEqual(4);
    expect(circleStateSchema.safeParse(state).success).toBe(true);
  });

  it('a conversation café has one-minute rounds and the six agreements', () => {
    const state = createCircleState({ id: 'c', title: 'Café', template: 'conversation-cafe', now: 0 });
    expect(state.piece.mode).toBe('round');
    expect(state.settings.speakerTimeMs).toBe(60_000);
    expect(state.agreements).toEqual([...CONVERSATION_CAFE_AGREEMENTS]);
    expect(state.agreements).toHaveLength(6);
  });

  it('an open circle has no piece mode', () => {
    const state = createCircleState({ id: 'c', title: 'Open', template: 'open', now: 0 });
    expect(state.piece.mode).toBe('open');
    expect(state.agreements).toEqual([]);
    expect(state.settings.facilitatorsMaySpeak).toBe(true);
  });

  it('does not share the timer object between circles', () => {
    const a = createCircleState({ id: 'a', title: 'A', template: 'open', now: 0 });
    const b = createCircleState({ id: 'b', title: 'B', template: 'open', now: 0 });
    expect(a.timer).not.toBe(b.timer);
    expect(a.agreements).not.toBe(b.agreements);
  });
});

describe('admissionRefusal', () => {
  it('admits a newcomer to an open circle with room', () => {
    expect(admissionRefusal(standardCircle(), { facilitator: false })).toBeNull();
  });

  it('refuses a participant to a locked circle but lets a facilitator in', () => {
    const locked = { ...standardCircle(), locked: true };
    expect(admissionRefusal(locked, { facilitator: false })).toBe('locked');
    expect(admissionRefusal(locked, { facilitator: true })).toBeNull();
  });

  it('counts seated members, here or away, against the maximum', () => {
    const base = standardCircle({ away: ['b', 'c'] });
    const full = { ...base, settings: { ...base.settings, maxParticipants: 4 } };
    expect(admissionRefusal(full, { facilitator: false })).toBe('full');
    const roomForOne = { ...base, settings: { ...base.settings, maxParticipants: 5 } };
    expect(admissionRefusal(roomForOne, { facilitator: false })).toBeNull();
  });

  it('a facilitator key always gets a seat, even in a full circle', () => {
    const base = standardCircle();
    const full = { ...base, settings: { ...base.settings, maxParticipants: 1 } };
    expect(admissionRefusal(full, { facilitator: true })).toBeNull();
  });

  it('a member away past the grace period no longer holds a seat', () => {
    const base = standardCircle({ away: ['b', 'c'] });
    const awaySince = 1_000;
    const participants = base.participants.map((p) => (p.connected ? p : { ...p, awaySince }));
    const full = { ...base, participants, settings: { ...base.settings, maxParticipants: 4 } };
    expect(seatsHeld(full, { now: awaySince + 29_999, holderGraceMs: 30_000 })).toBe(4);
    expect(admissionRefusal(full, { facilitator: false, now: awaySince + 29_999, holderGraceMs: 30_000 })).toBe('full');
    expect(seatsHeld(full, { now: awaySince + 30_000, holderGraceMs: 30_000 })).toBe(2);
    expect(admissionRefusal(full, { facilitator: false, now: awaySince + 30_000, holderGraceMs: 30_000 })).toBeNull();
  });

  it('reports locked before full', () => {
    const base = standardCircle();
    const both = { ...base, locked: true, settings: { ...base.settings, maxParticipants: 4 } };
    expect(admissionRefusal(both, { facilitator: false })).toBe('locked');
  });
});

describe('connectedCount', () => {
  it('counts only members who are here', () => {
    expect(connectedCount(standardCircle({ away: ['a', 'c'] }))).toBe(2);
    expect(connectedCount(makeCircle())).toBe(0);
  });
});
