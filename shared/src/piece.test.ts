import { describe, expect, it } from 'vitest';
import type { CircleCommand } from './commands.js';
import { act, expectChanged, expectNoop, expectRejected, makeCircle, mediaChanges, NOW, standardCircle, T0 } from './test-support.js';

/** The talking piece and the raised-hand queue: pass, release, take, modes, hands. */

describe('piece.pass in round mode', () => {
  it('from the centre goes to the lowest-seated connected member', () => {
    const state = makeCircle({
      members: [
        { id: 'x', seat: 5 },
        { id: 'f', role: 'facilitator', seat: 3 },
        { id: 'y', seat: 1, connected: false },
        { id: 'z', seat: 2 },
      ],
    });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'piece.pass' }));
    expect(next.piece.holderId).toBe('z');
    expect(next.piece.since).toBe(NOW);
  });

  it('goes to the next connected seat after the holder', () => {
    const state = standardCircle({ holderId: 'a' });
    const { state: next } = expectChanged(state, act(state, 'a', { type: 'piece.pass' }));
    expect(next.piece.holderId).toBe('b');
  });

  it('skips away members', () => {
    const state = standardCircle({ holderId: 'a', away: ['b'] });
    const { state: next } = expectChanged(state, act(state, 'a', { type: 'piece.pass' }));
    expect(next.piece.holderId).toBe('c');
  });

  it('wraps around from the highest seat to the lowest connected one', () => {
    const state = standardCircle({ holderId: 'c', away: ['f'] });
    const { state: next } = expectChanged(state, act(state, 'c', { type: 'piece.pass' }));
    expect(next.piece.holderId).toBe('a');
  });

  it('follows seat numbers, not array order', () => {
    const state = makeCircle({
      members: [
        { id: 'f', role: 'facilitator', seat: 1 },
        { id: 'late', seat: 9 },
        { id: 'mid', seat: 4 },
      ],
      holderId: 'f',
    });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'piece.pass' }));
    expect(next.piece.holderId).toBe('mid');
  });

  it('a facilitator may pass the piece on from another holder', () => {
    const state = standardCircle({ holderId: 'b' });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'piece.pass' }));
    expect(next.piece.holderId).toBe('c');
  });

  it('by a lone connected holder is a no-op', () => {
    const state = standardCircle({ holderId: 'a', away: ['f', 'b', 'c'] });
    expectNoop(state, act(state, 'a', { type: 'piece.pass' }));
  });

  it('the new holder leaves the queue', () => {
    const state = standardCircle({ holderId: 'a', queue: ['c', 'b'] });
    const { state: next } = expectChanged(state, act(state, 'a', { type: 'piece.pass' }));
    expect(next.piece.holderId).toBe('b');
    expect(next.piece.queue).toEqual(['c']);
  });

  it('by a participant who does not hold the piece is forbidden', () => {
    const state = standardCircle({ holderId: 'a' });
    expectRejected(act(state, 'b', { type: 'piece.pass' }), 'forbidden');
    expectRejected(act(state, 'b', { type: 'piece.pass', to: 'c' }), 'forbidden');
  });

  it('from the centre by a participant is forbidden', () => {
    const state = standardCircle();
    expectRejected(act(state, 'a', { type: 'piece.pass' }), 'forbidden');
  });
});

describe('piece.pass in popcorn mode', () => {
  it('goes to the first connected queue member, who leaves the queue', () => {
    const state = standardCircle({ mode: 'popcorn', holderId: 'a', queue: ['b', 'c'], away: ['b'] });
    const { state: next } = expectChanged(state, act(state, 'a', { type: 'piece.pass' }));
    expect(next.piece.holderId).toBe('c');
    // The away member keeps their place until their grace ends.
    expect(next.piece.queue).toEqual(['b']);
  });

  it('goes to the queue head when connected', () => {
    const state = standardCircle({ mode: 'popcorn', holderId: 'a', queue: ['c', 'b'] });
    const { state: next } = expectChanged(state, act(state, 'a', { type: 'piece.pass' }));
    expect(next.piece.holderId).toBe('c');
    expect(next.piece.queue).toEqual(['b']);
  });

  it('with an empty queue goes to the centre', () => {
    const state = standardCircle({ mode: 'popcorn', holderId: 'a' });
    const { state: next } = expectChanged(state, act(state, 'a', { type: 'piece.pass' }));
    expect(next.piece.holderId).toBeNull();
    expect(next.piece.since).toBeNull();
  });

  it('with only away members queued goes to the centre', () => {
    const state = standardCircle({ mode: 'popcorn', holderId: 'a', queue: ['b'], away: ['b'] });
    const { state: next } = expectChanged(state, act(state, 'a', { type: 'piece.pass' }));
    expect(next.piece.holderId).toBeNull();
    expect(next.piece.queue).toEqual(['b']);
  });

  it("skips the holder's own raised hand: the piece goes to the next connected person waiting", () => {
    let state = standardCircle({ mode: 'popcorn', holderId: 'a', queue: ['a', 'b'] });
    state = expectChanged(state, act(state, 'a', { type: 'piece.pass' })).state;
    expect(state.piece).toMatchObject({ mode: 'popcorn', holderId: 'b', queue: ['a'] });
  });

  it('a holder who is alone in the queue passes to the centre', () => {
    const state = standardCircle({ mode: 'popcorn', holderId: 'a', queue: ['a'] });
    const { state: next } = expectChanged(state, act(state, 'a', { type: 'piece.pass' }));
    expect(next.piece).toMatchObject({ holderId: null, since: null, queue: ['a'] });
  });

  it('from the centre by a facilitator goes to the queue head', () => {
    const state = standardCircle({ mode: 'popcorn', queue: ['b'] });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'piece.pass' }));
    expect(next.piece.holderId).toBe('b');
    expect(next.piece.queue).toEqual([]);
  });
});

describe('piece.pass with `to`', () => {
  it.each(['round', 'popcorn'] as const)('in %s mode gives the piece to `to`, who leaves the queue', (mode) => {
    const state = standardCircle({ mode, holderId: 'a', queue: ['b', 'c'] });
    const { state: next } = expectChanged(state, act(state, 'a', { type: 'piece.pass', to: 'c' }));
    expect(next.piece.holderId).toBe('c');
    expect(next.piece.since).toBe(NOW);
    expect(next.piece.queue).toEqual(['b']);
  });

  it('a facilitator may pass from the centre to anyone connected', () => {
    const state = standardCircle();
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'piece.pass', to: 'c' }));
    expect(next.piece.holderId).toBe('c');
  });

  it('to an unknown member is not_found', () => {
    const state = standardCircle({ holderId: 'a' });
    expectRejected(act(state, 'a', { type: 'piece.pass', to: 'nobody' }), 'not_found');
  });

  it('to an away member is conflict', () => {
    const state = standardCircle({ holderId: 'a', away: ['b'] });
    expectRejected(act(state, 'a', { type: 'piece.pass', to: 'b' }), 'conflict');
  });

  it('to the current holder is a no-op', () => {
    const state = standardCircle({ holderId: 'a' });
    expectNoop(state, act(state, 'f', { type: 'piece.pass', to: 'a' }));
  });

  it('to the current holder with a raised hand lowers it (a `to` leaves the queue)', () => {
    const state = standardCircle({ holderId: 'a', queue: ['b', 'a'] });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'piece.pass', to: 'a' }));
    expect(next.piece).toEqual({ mode: 'round', holderId: 'a', since: T0, queue: ['b'] });
  });

  it('by a non-holder to an unknown id is forbidden, not not_found', () => {
    const state = standardCircle({ holderId: 'a' });
    expectRejected(act(state, 'b', { type: 'piece.pass', to: 'nobody' }), 'forbidden');
  });
});

describe('the piece in open mode', () => {
  const open = () => standardCircle({ mode: 'open' });

  it.each<CircleCommand>([
    { type: 'piece.pass' },
    { type: 'piece.pass', to: 'a' },
    { type: 'piece.release' },
    { type: 'piece.take' },
  ])('$type by a facilitator is conflict', (command) => {
    expectRejected(act(open(), 'f', command), 'conflict');
  });

  it('pass with an unknown `to` is not_found (not_found is checked before conflict)', () => {
    expectRejected(act(open(), 'f', { type: 'piece.pass', to: 'nobody' }), 'not_found');
  });

  it('pass to a known member is conflict', () => {
    expectRejected(act(open(), 'f', { type: 'piece.pass', to: 'a' }), 'conflict');
  });

  it('pass by a participant (who cannot hold the piece) is forbidden', () => {
    expectRejected(act(open(), 'a', { type: 'piece.pass' }), 'forbidden');
  });
});

describe('piece.release', () => {
  it('by the holder lays the piece in the centre', () => {
    const state = standardCircle({ holderId: 'a' });
    const { state: next } = expectChanged(state, act(state, 'a', { type: 'piece.release' }));
    expect(next.piece).toMatchObject({ holderId: null, since: null });
  });

  it('by a facilitator lays the piece in the centre, keeping the queue', () => {
    const state = standardCircle({ holderId: 'a', queue: ['b'] });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'piece.release' }));
    expect(next.piece).toEqual({ mode: 'round', holderId: null, since: null, queue: ['b'] });
  });

  it('by a participant who does not hold it is forbidden', () => {
    const state = standardCircle({ holderId: 'a' });
    expectRejected(act(state, 'b', { type: 'piece.release' }), 'forbidden');
  });

  it('when the piece is already in the centre is a no-op', () => {
    const state = standardCircle();
    expectNoop(state, act(state, 'f', { type: 'piece.release' }));
  });
});

describe('piece.take', () => {
  it('the facilitator holds the piece and leaves the queue', () => {
    const state = standardCircle({ holderId: 'a', queue: ['f', 'b'] });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'piece.take' }));
    expect(next.piece).toEqual({ mode: 'round', holderId: 'f', since: NOW, queue: ['b'] });
  });

  it('when already holding is a no-op', () => {
    const state = standardCircle({ holderId: 'f' });
    expectNoop(state, act(state, 'f', { type: 'piece.take' }));
  });
});

describe('piece.mode', () => {
  it.each([
    ['round', 'popcorn'],
    ['popcorn', 'round'],
  ] as const)('%s → %s keeps the holder and the queue', (from, to) => {
    const state = standardCircle({ mode: from, holderId: 'a', queue: ['b'] });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'piece.mode', mode: to }));
    expect(next.piece).toEqual({ mode: to, holderId: 'a', since: T0, queue: ['b'] });
  });

  it.each(['round', 'popcorn'] as const)('%s → open empties the holder', (from) => {
    const state = standardCircle({ mode: from, holderId: 'a' });
    const { state: next, effects } = expectChanged(state, act(state, 'f', { type: 'piece.mode', mode: 'open' }));
    expect(next.piece.mode).toBe('open');
    expect(next.piece.holderId).toBeNull();
    expect(next.piece.since).toBeNull();
    // Everyone may now speak: a, b and c gain the right (f, a facilitator, and a, the holder, had it).
    expect(mediaChanges(effects)).toEqual([
      { participantId: 'b', maySpeak: true },
      { participantId: 'c', maySpeak: true },
    ]);
  });

  it.each(['round', 'popcorn'] as const)('open → %s leaves the piece in the centre', (to) => {
    const state = standardCircle({ mode: 'open' });
    const { state: next, effects } = expectChanged(state, act(state, 'f', { type: 'piece.mode', mode: to }));
    expect(next.piece).toEqual({ mode: to, holderId: null, since: null, queue: [] });
    expect(mediaChanges(effects)).toEqual([
      { participantId: 'a', maySpeak: false },
      { participantId: 'b', maySpeak: false },
      { participantId: 'c', maySpeak: false },
    ]);
  });

  it('to the current mode is a no-op', () => {
    const state = standardCircle({ mode: 'popcorn', holderId: 'a' });
    expectNoop(state, act(state, 'f', { type: 'piece.mode', mode: 'popcorn' }));
  });
});

describe('hand.raise and hand.lower', () => {
  it('raise joins the end of the queue', () => {
    const state = standardCircle({ queue: ['b'] });
    const { state: next } = expectChanged(state, act(state, 'a', { type: 'hand.raise' }));
    expect(next.piece.queue).toEqual(['b', 'a']);
  });

  it('raise twice does not duplicate: the second is a no-op', () => {
    const state = standardCircle({ queue: ['b', 'a'] });
    expectNoop(state, act(state, 'a', { type: 'hand.raise' }));
  });

  it('lower by oneself leaves the queue', () => {
    const state = standardCircle({ queue: ['a', 'b', 'c'] });
    const { state: next } = expectChanged(state, act(state, 'b', { type: 'hand.lower' }));
    expect(next.piece.queue).toEqual(['a', 'c']);
  });

  it('lower naming oneself is allowed for a participant', () => {
    const state = standardCircle({ queue: ['a', 'b'] });
    const { state: next } = expectChanged(state, act(state, 'b', { type: 'hand.lower', participantId: 'b' }));
    expect(next.piece.queue).toEqual(['a']);
  });

  it('a facilitator lowers anyone', () => {
    const state = standardCircle({ queue: ['a', 'b'] });
    const { state: next } = expectChanged(state, act(state, 'f', { type: 'hand.lower', participantId: 'a' }));
    expect(next.piece.queue).toEqual(['b']);
  });

  it('a participant lowering someone else is forbidden', () => {
    const state = standardCircle({ queue: ['a', 'b'] });
    expectRejected(act(state, 'b', { type: 'hand.lower', participantId: 'a' }), 'forbidden');
  });

  it('a participant lowering an unknown id is forbidden (forbidden before not_found)', () => {
    const state = standardCircle({ queue: ['a'] });
    expectRejected(act(state, 'b', { type: 'hand.lower', participantId: 'nobody' }), 'forbidden');
  });

  it('a facilitator lowering an unknown id is not_found', () => {
    const state = standardCircle({ queue: ['a'] });
    expectRejected(act(state, 'f', { type: 'hand.lower', participantId: 'nobody' }), 'not_found');
  });

  it('lowering a hand that is not raised is a no-op', () => {
    const state = standardCircle({ queue: ['a'] });
    expectNoop(state, act(state, 'f', { type: 'hand.lower', participantId: 'b' }));
    expectNoop(state, act(state, 'c', { type: 'hand.lower' }));
  });
});
