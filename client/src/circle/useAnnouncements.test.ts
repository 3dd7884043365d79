import { describe, expect, it } from 'vitest';
import { describeChanges, describeTurn } from './useAnnouncements';
import { circleWith, member } from '../test/fakeSocket';

const people = [member('ann', 1), member('ben', 2)];

describe('describeChanges', () => {
  it('announces the stage on arrival and when it changes, with the cycle after the first', () => {
    const a = circleWith(people);
    expect(describeChanges(null, a, 'ann')).toEqual(['Stage: Coming from Gratitude.']);
    const b = { ...a, stage: { key: 'gratitude' as const, cycle: 2, since: 9 } };
    expect(describeChanges(a, b, 'ann')).toEqual(['Stage: Coming from Gratitude, cycle 2.']);
    expect(describeChanges(b, b, 'ann')).toEqual([]);
  });

  it('never names a stage of the spiral in a Conversation Café', () => {
    const cafe = { ...circleWith(people), template: 'conversation-cafe' as const };
    expect(describeChanges(null, cafe, 'ann')).toEqual([]);
    expect(describeChanges(cafe, { ...cafe, stage: { key: 'new-eyes' as const, cycle: 1, since: 9 } }, 'ann')).toEqual([]);
  });

  it('says who holds the piece, “you” for me, and when it goes to the centre', () => {
    const a = circleWith(people);
    const toBen = { ...a, piece: { ...a.piece, holderId: 'ben', since: 1 } };
    const toAnn = { ...a, piece: { ...a.piece, holderId: 'ann', since: 2 } };
    expect(describeChanges(a, toBen, 'ann')).toEqual(['Ben holds the talking piece.']);
    expect(describeChanges(toBen, toAnn, 'ann')).toEqual(['You hold the talking piece.']);
    expect(describeChanges(toAnn, a, 'ann')).toEqual(['The talking piece is in the centre.']);
  });

  it('mentions open mode and the end of the timer', () => {
    const a = circleWith(people, { timer: { label: '', durationMs: 1000, running: true, endsAt: 5, remainingMs: 1000 } });
    const b = { ...a, piece: { ...a.piece, mode: 'open' as const }, timer: { ...a.timer, running: false, endsAt: null, remainingMs: 0 } };
    expect(describeChanges(a, b, null)).toEqual(['Open conversation: everyone may speak.', 'The shared timer is done.']);
  });

  it('announces a timer starting and resuming, but not a minute added', () => {
    const a = circleWith(people);
    const started = { ...a, timer: { label: 'Round 1', durationMs: 300_000, running: true, endsAt: 400_000, remainingMs: 300_000 } };
    expect(describeChanges(a, started, 'ann')).toEqual(['Round 1: the shared timer started, 5 min.']);
    const paused = { ...started, timer: { ...started.timer, running: false, endsAt: null, remainingMs: 200_000 } };
    expect(describeChanges(paused, { ...started, timer: { ...started.timer, endsAt: 500_000 } }, 'ann')).toEqual(['Round 1: the shared timer resumed.']);
    expect(describeChanges(started, { ...started, timer: { ...started.timer, endsAt: 460_000, durationMs: 360_000 } }, 'ann')).toEqual([]);
  });

  it('announces people joining, going away, coming back and leaving — never me', () => {
    const a = circleWith(people);
    const withCy = circleWith([...people, member('cy', 3)]);
    expect(describeChanges(a, withCy, 'ann')).toEqual(['Cy joined the circle.']);
    const benAway = circleWith([people[0]!, member('ben', 2, { connected: false, awaySince: 5 })]);
    expect(describeChanges(a, benAway, 'ann')).toEqual(['Ben is away.']);
    expect(describeChanges(benAway, a, 'ann')).toEqual(['Ben is back.']);
    expect(describeChanges(a, circleWith([people[0]!]), 'ann')).toEqual(['Ben left the circle.']);
    expect(describeChanges(a, circleWith([people[0]!]), 'ben')).toEqual([]);
  });

  it('tells facilitators, and only them, who raised a hand', () => {
    const host = [member('ann', 1, { role: 'facilitator' }), member('ben', 2)];
    const a = circleWith(host);
    const raised = { ...a, piece: { ...a.piece, queue: ['ben'] } };
    expect(describeChanges(a, raised, 'ann')).toEqual(['Ben raised a hand.']);
    expect(describeChanges(a, raised, 'ben')).toEqual(['You are next in the queue.']);
  });

  it('says when the speaker’s time is nearly over and when it has ended', () => {
    const a = circleWith(people);
    expect(describeTurn(a, { holderId: 'ben', phase: 'speaking' }, 'ann')).toBeNull();
    expect(describeTurn(a, { holderId: 'ben', phase: 'finish-up' }, 'ann')).toBe('A little time is left in Ben’s turn.');
    expect(describeTurn(a, { holderId: 'ben', phase: 'over' }, 'ann')).toBe('Ben’s speaking time has ended.');
    expect(describeTurn(a, { holderId: 'ann', phase: 'over' }, 'ann')).toBe('Your speaking time has ended.');
  });
});
