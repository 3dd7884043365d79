import { describe, expect, it } from 'vitest';
import { makeCircle } from '@spiral/shared/testing';
import type { CircleState } from '@spiral/shared';
import { describeBreakoutChanges } from './view';
import { withBreakouts } from './testCircles';

const members = [
  { id: 'fran', name: 'Fran', role: 'facilitator' as const },
  { id: 'ana', name: 'Ana' },
  { id: 'ben', name: 'Ben' },
  { id: 'cara', name: 'Cara' },
];
const main = makeCircle({ id: 'c1', members });
const pair = (patch = {}, groups: Parameters<typeof withBreakouts>[1] = [{ memberIds: ['ana', 'ben'] }, { memberIds: ['cara'] }]) => withBreakouts(main, groups, patch);
const changes = (prev: CircleState | null, next: CircleState, me: string) => describeBreakoutChanges(prev, next, me);

describe('describeBreakoutChanges', () => {
  it('places a member in their group with their role', () => {
    expect(changes(main, pair(), 'ana')).toEqual(['You are in a pair with Ben. You speak first.']);
    expect(changes(main, pair(), 'ben')).toEqual(['You are in a pair with Ana. Ana speaks first; you listen.']);
    expect(changes(main, pair({ mode: 'open' }, [{ memberIds: ['ana', 'ben', 'cara'], speakerId: null }]), 'cara')).toEqual([
      'You are in a triad with Ana and Ben. Open conversation: everyone in the group may speak.',
    ]);
    expect(changes(null, pair(), 'ana')).toEqual(['You are in a pair with Ben. You speak first.']); // after a reload too
  });

  it('announces a swap, a word from the facilitator, a visit, the recall and the return', () => {
    const swapped = pair({}, [{ memberIds: ['ana', 'ben'], speakerId: 'ben' }, { memberIds: ['cara'] }]);
    expect(changes(pair(), swapped, 'ana')).toEqual(['Ben speaks now; you listen.']);
    expect(changes(pair(), swapped, 'ben')).toEqual(['Your turn to speak.']);
    expect(changes(pair(), pair({ message: { text: 'One more minute.', at: 5 } }), 'ana')).toEqual(['Message from the facilitator: One more minute.']);
    expect(changes(pair(), pair({ visits: { fran: 'b1g1' } }), 'ana')).toEqual(['Fran, a facilitator, has joined your group.']);
    expect(changes(pair({ visits: { fran: 'b1g1' } }), pair(), 'ana')).toEqual(['Fran has left your group.']);
    const recalled = { ...pair({ closingAt: 1_030_300 }), bell: { id: 1, strikes: 2 as const, at: 1_000_300 } };
    expect(changes(pair(), recalled, 'ana')).toEqual(['The groups are closing: take a moment to finish up. Everyone returns to the main circle in 30 seconds.']);
    expect(changes(recalled, main, 'ana')).toEqual(['The groups are closed. You are back in the main circle.']);
  });

  it('a visiting facilitator hears where they are; calls for help reach the facilitator and the caller', () => {
    expect(changes(pair(), pair({ visits: { fran: 'b1g1' } }), 'fran')).toEqual(['You are visiting Pair 1: Ana and Ben.']);
    expect(changes(pair({ visits: { fran: 'b1g1' } }), pair(), 'fran')).toEqual(['You are back in the main circle.']);
    const called = pair({}, [{ memberIds: ['ana', 'ben'], helpAt: 9 }, { memberIds: ['cara'] }]);
    expect(changes(pair(), called, 'fran')).toEqual(['Pair 1 calls for the facilitator.']);
    expect(changes(pair(), called, 'ben')).toEqual(['The facilitator has been called.']);
    expect(changes(pair(), called, 'cara')).toEqual([]);
  });

  it('nothing while nothing changes', () => {
    expect(changes(main, main, 'ana')).toEqual([]);
    expect(changes(pair(), pair(), 'ana')).toEqual([]);
  });
});
