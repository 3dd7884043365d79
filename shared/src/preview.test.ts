import { describe, expect, it } from 'vitest';
import { wouldChange } from './preview.js';
import { standardCircle } from './testing/circle-builder.js';

describe('wouldChange: what the UI offers is what decide would accept and change', () => {
  it('offers release to the holder and a facilitator, never to another participant, and not from the centre', () => {
    const held = standardCircle({ holderId: 'a' });
    expect(wouldChange(held, 'a', { type: 'piece.release' })).toBe(true);
    expect(wouldChange(held, 'f', { type: 'piece.release' })).toBe(true);
    expect(wouldChange(held, 'b', { type: 'piece.release' })).toBe(false);
    expect(wouldChange(standardCircle(), 'f', { type: 'piece.release' })).toBe(false);
  });

  it('does not offer what would change nothing or be refused', () => {
    const state = standardCircle({ holderId: 'f', away: ['c'] });
    expect(wouldChange(state, 'f', { type: 'piece.take' })).toBe(false);
    expect(wouldChange(state, 'f', { type: 'piece.pass', to: 'c' })).toBe(false);
    expect(wouldChange(state, 'f', { type: 'piece.pass', to: 'b' })).toBe(true);
    expect(wouldChange(state, 'f', { type: 'participant.remove', participantId: 'f' })).toBe(false);
    expect(wouldChange(state, 'f', { type: 'hand.lower', participantId: 'a' })).toBe(false);
    expect(wouldChange(standardCircle({ queue: ['a'] }), 'f', { type: 'hand.lower', participantId: 'a' })).toBe(true);
    expect(wouldChange(state, 'a', { type: 'stage.advance' })).toBe(false);
    expect(wouldChange(state, 'nobody', { type: 'hand.raise' })).toBe(false);
  });
});
