import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from './decide.js';
import { passHint } from './hints.js';
import { passTarget } from './piece.js';
import { PIECE_MODES, ROLES, type CircleState } from './state.js';
import { makeCircle, NOW } from './testing/circle-builder.js';

const IDS = ['f1', 'f2', 'p1', 'p2', 'p3', 'p4'] as const;

/** Any circle the piece can be in: members here or away, any mode, any holder, any queue order. */
const circleArb: fc.Arbitrary<CircleState> = fc
  .uniqueArray(
    fc.record({ id: fc.constantFrom(...IDS), role: fc.constantFrom(...ROLES), connected: fc.boolean(), seat: fc.integer({ min: 1, max: 9 }) }),
    { minLength: 1, maxLength: IDS.length, selector: (m) => m.id },
  )
  .chain((members) => {
    const ids = members.map((m) => m.id);
    return fc.record({
      members: fc.constant(members.map((m) => ({ ...m, name: `Name ${m.id}` }))),
      mode: fc.constantFrom(...PIECE_MODES),
      holderId: fc.option(fc.constantFrom(...ids), { nil: null }),
      queue: fc.shuffledSubarray(ids),
    });
  })
  .map((spec) => makeCircle({ ...spec, holderId: spec.mode === 'open' ? null : spec.holderId }));

describe('what the UI says a pass will do is what decide does', () => {
  it('the pass hint names exactly where decide sends the piece, and appears only when the pass would move it', () => {
    fc.assert(
      fc.property(circleArb, fc.integer({ min: 0, max: IDS.length - 1 }), (state, index) => {
        const actor = state.participants[index % state.participants.length]!;
        const decision = decide(state, { type: 'piece.pass' }, { actor: { kind: 'member', id: actor.id }, now: NOW, holderGraceMs: 30_000 });
        const hint = passHint(state, actor.id);
        // The button is offered exactly when the server would accept the pass and the piece would move.
        expect(hint !== null).toBe(decision.ok && decision.changed && decision.state.piece.holderId !== state.piece.holderId);
        if (!decision.ok || hint === null) return;
        const next = decision.state.piece.holderId;
        if (next === null) expect(hint).toMatch(/centre/);
        else if (next === actor.id) expect(hint).toMatch(/\byou\b/);
        else expect(hint).toContain(state.participants.find((p) => p.id === next)!.name);
        // The hint never names anyone but the receiver.
        for (const other of state.participants) {
          if (other.id !== next) expect(hint.includes(`${other.name}.`) || hint.includes(`${other.name} `)).toBe(false);
        }
      }),
      { numRuns: 2_000 },
    );
  }, 60_000);

  it('popcorn with an away member first in the queue names the next connected one (the bug users saw)', () => {
    const state = makeCircle({
      mode: 'popcorn',
      members: [{ id: 'a' }, { id: 'b', name: 'Bea' }, { id: 'c', name: 'Cy', connected: false }],
      holderId: 'a',
      queue: ['c', 'b'],
    });
    expect(passHint(state, 'a')).toBe('Next: Bea.');
  });

  it('popcorn with only the holder in the queue says the piece goes to the centre', () => {
    const state = makeCircle({ mode: 'popcorn', members: [{ id: 'a' }, { id: 'b' }], holderId: 'a', queue: ['a'] });
    expect(passHint(state, 'a')).toBe('Nobody is waiting: the piece will go to the centre.');
  });

  it('offers no pass that would leave the piece where it is', () => {
    const centred = makeCircle({ mode: 'popcorn', members: [{ id: 'f', role: 'facilitator' }, { id: 'b' }], holderId: null });
    expect(passHint(centred, 'f')).toBeNull();
    const alone = makeCircle({ mode: 'round', members: [{ id: 'a' }, { id: 'b', connected: false }], holderId: 'a' });
    expect(passHint(alone, 'a')).toBeNull();
  });

  it('a participant who does not hold the piece gets no pass hint, and no refusal text blaming their role', () => {
    const state = makeCircle({ members: [{ id: 'a' }, { id: 'b' }], holderId: 'a' });
    expect(passHint(state, 'b')).toBeNull();
    const target = passTarget(state, 'b');
    expect(target.ok).toBe(false);
    if (!target.ok) expect(target.rejection.message).not.toMatch(/Only a facilitator/);
  });
});
