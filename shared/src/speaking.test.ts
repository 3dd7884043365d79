import { describe, expect, it } from 'vitest';
import { audibleTo, maySpeak, maySpeakById, speakingRightChanges } from './speaking.js';
import type { CircleState } from './state.js';
import { member, standardCircle } from './test-support.js';

const noFacilitatorSpeech = (state: CircleState): CircleState => ({
  ...state,
  settings: { ...state.settings, facilitatorsMaySpeak: false },
});

describe('maySpeak', () => {
  it('in open mode, everyone may speak', () => {
    const state = noFacilitatorSpeech(standardCircle({ mode: 'open' }));
    for (const p of state.participants) expect(maySpeak(state, p)).toBe(true);
  });

  it.each(['round', 'popcorn'] as const)('in %s mode, the holder and the facilitators may speak', (mode) => {
    const state = standardCircle({ mode, holderId: 'b' });
    expect(state.participants.map((p) => [p.id, maySpeak(state, p)])).toEqual([
      ['f', true],
      ['a', false],
      ['b', true],
      ['c', false],
    ]);
  });

  it('facilitators lose the right when facilitatorsMaySpeak is false, unless they hold the piece', () => {
    const state = noFacilitatorSpeech(standardCircle({ holderId: 'a' }));
    expect(maySpeak(state, member(state, 'f'))).toBe(false);
    const holding = noFacilitatorSpeech(standardCircle({ holderId: 'f' }));
    expect(maySpeak(holding, member(holding, 'f'))).toBe(true);
  });

  it('maySpeakById is false for an unknown id, even in open mode', () => {
    const state = standardCircle({ mode: 'open' });
    expect(maySpeakById(state, 'a')).toBe(true);
    expect(maySpeakById(state, 'nobody')).toBe(false);
  });
});

describe('speakingRightChanges', () => {
  it('lists members whose right differs, in the order of the new state', () => {
    const before = standardCircle({ holderId: 'c' });
    const after = standardCircle({ holderId: 'a' });
    expect(speakingRightChanges(before, after)).toEqual([
      { participantId: 'a', maySpeak: true },
      { participantId: 'c', maySpeak: false },
    ]);
  });

  it('is empty when nothing changes and ignores members who joined or left', () => {
    const state = standardCircle({ holderId: 'a' });
    expect(speakingRightChanges(state, state)).toEqual([]);
    const without = { ...state, participants: state.participants.filter((p) => p.id !== 'a'), piece: { ...state.piece, holderId: null } };
    expect(speakingRightChanges(state, without)).toEqual([]);
    const open = standardCircle({ mode: 'open' });
    const joined = { ...open, participants: [...open.participants, { ...member(open, 'a'), id: 'n', seat: 9 }] };
    expect(speakingRightChanges(open, joined)).toEqual([]);
  });
});

describe('audibleTo: whose audio a listener plays', () => {
  it('plays only those who may speak, never oneself', () => {
    const held = standardCircle({ holderId: 'a' });
    expect([...audibleTo(held, 'b')].sort()).toEqual(['a', 'f']);
    expect([...audibleTo(held, 'a')]).toEqual(['f']);
    expect([...audibleTo(noFacilitatorSpeech(held), 'b')]).toEqual(['a']);
    expect([...audibleTo(standardCircle({ mode: 'open' }), 'a')].sort()).toEqual(['b', 'c', 'f']);
    expect([...audibleTo(noFacilitatorSpeech(standardCircle()), 'a')]).toEqual([]);
  });
});
