import { describe, expect, it } from 'vitest';
import { commandSchema } from './commands.js';
import { passTarget } from './piece.js';
import { act, expectChanged, expectRejected, makeCircle, standardCircle } from './test-support.js';

/** v1.1 `piece.pass` with `from`: the holder as the sender saw it; a pass that no longer fits changes nothing. */

describe('piece.pass with from', () => {
  it('passes as in v1 when from is the holder', () => {
    const state = standardCircle({ holderId: 'a' });
    expect(expectChanged(state, act(state, 'a', { type: 'piece.pass', from: 'a' })).state.piece.holderId).toBe('b');
    expect(expectChanged(state, act(state, 'f', { type: 'piece.pass', from: 'a', to: 'c' })).state.piece.holderId).toBe('c');
  });

  it('from null matches the centre', () => {
    const state = standardCircle();
    expect(expectChanged(state, act(state, 'f', { type: 'piece.pass', from: null })).state.piece.holderId).toBe('f');
    expectRejected(act(standardCircle({ holderId: 'a' }), 'f', { type: 'piece.pass', from: null }), 'conflict');
  });

  it('when the holder is no longer from: conflict, and nothing changes', () => {
    const state = standardCircle({ holderId: 'b', queue: ['c'] });
    const before = structuredClone(state);
    expectRejected(act(state, 'f', { type: 'piece.pass', from: 'a' }), 'conflict');
    expectRejected(act(state, 'f', { type: 'piece.pass', from: 'a', to: 'c' }), 'conflict');
    expectRejected(act(state, 'b', { type: 'piece.pass', from: 'a' }), 'conflict');
    expect(state).toEqual(before);
  });

  it('the holder and a facilitator pass at once, the facilitator first: the former holder hears conflict, not forbidden', () => {
    const state = standardCircle({ holderId: 'a' });
    const { state: passed } = expectChanged(state, act(state, 'f', { type: 'piece.pass', from: 'a' }));
    expect(passed.piece.holderId).toBe('b');
    expectRejected(act(passed, 'a', { type: 'piece.pass', from: 'a' }), 'conflict');
    // Without `from` (a v1 client), it is still the role rule that refuses.
    expectRejected(act(passed, 'a', { type: 'piece.pass' }), 'forbidden');
  });

  it('two passes with the same from: the second is refused, nobody is skipped', () => {
    const state = standardCircle({ holderId: 'a' });
    // The holder and a facilitator press "pass" at once, both seeing a.
    const first = expectChanged(state, act(state, 'a', { type: 'piece.pass', from: 'a' })).state;
    expect(first.piece.holderId).toBe('b');
    expectRejected(act(first, 'f', { type: 'piece.pass', from: 'a' }), 'conflict');
    // Without from, the same second press would have skipped b.
    expect(expectChanged(first, act(first, 'f', { type: 'piece.pass' })).state.piece.holderId).toBe('c');
  });

  it('the checks keep their order: forbidden, then not_found, then conflict', () => {
    const state = standardCircle({ holderId: 'b' });
    expectRejected(act(state, 'c', { type: 'piece.pass', from: 'b' }), 'forbidden'); // c never held it
    expectRejected(act(state, 'a', { type: 'piece.pass', from: 'a' }), 'conflict'); // a held it: the piece moved on
    expectRejected(act(state, 'f', { type: 'piece.pass', from: 'a', to: 'ghost' }), 'not_found');
    expectRejected(act(makeCircle({ members: [{ id: 'f', role: 'facilitator' }], mode: 'open' }), 'f', { type: 'piece.pass', from: null }), 'conflict');
  });

  it('passTarget, which the UI asks, gives the same answer', () => {
    const state = standardCircle({ holderId: 'b' });
    expect(passTarget(state, 'f', undefined, 'a')).toMatchObject({ ok: false, rejection: { code: 'conflict' } });
    expect(passTarget(state, 'f', undefined, 'b')).toEqual({ ok: true, to: 'c' });
    expect(passTarget(state, 'f')).toEqual({ ok: true, to: 'c' });
  });

  it('from must be an id or null', () => {
    expect(commandSchema.safeParse({ type: 'piece.pass', from: null }).success).toBe(true);
    expect(commandSchema.safeParse({ type: 'piece.pass', from: 'a', to: 'b' }).success).toBe(true);
    expect(commandSchema.safeParse({ type: 'piece.pass', from: 7 }).success).toBe(false);
    expect(commandSchema.safeParse({ type: 'piece.pass', from: '' }).success).toBe(false);
  });
});
