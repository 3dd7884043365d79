import { describe, expect, it } from 'vitest';
import { describeChanges } from './useAnnouncements';
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
});
