import { describe, expect, it } from 'vitest';
import { admissionRefusal } from './circle.js';
import { JOIN_OPENS_BEFORE_MS } from './gathering.js';
import { act, expectChanged, expectNoop, expectRejected, NOW, standardCircle } from './test-support.js';

/** Gatherings in the domain: the facilitator's edit over HTTP (`circle.update`) and the joining window. */

describe('circle.update (system)', () => {
  it('changes only the fields given, as one change that stamps activeAt', () => {
    const before = standardCircle();
    const decision = act(before, 'system', { type: 'circle.update', title: 'Moved', gathering: { startsAt: NOW + 3_600_000, durationMin: undefined, listed: true } });
    const { state } = expectChanged(before, decision);
    expect(state.title).toBe('Moved');
    expect(state.question).toBe(before.question);
    expect(state.gathering).toEqual({ ...before.gathering, startsAt: NOW + 3_600_000, listed: true });
    expect(state.activeAt).toBe(NOW);
  });

  it('an edit that changes nothing is a no-op; a member may not send it', () => {
    const before = standardCircle();
    expectNoop(before, act(before, 'system', { type: 'circle.update', title: before.title, gathering: {} }));
    const facilitator = before.participants.find((p) => p.role === 'facilitator')!;
    expectRejected(act(before, facilitator.id, { type: 'circle.update', title: 'X' }), 'forbidden');
  });
});

describe('admissionRefusal: the joining window', () => {
  const scheduled = { ...standardCircle(), gathering: { ...standardCircle().gathering, startsAt: NOW + JOIN_OPENS_BEFORE_MS + 1 } };

  it('refuses a newcomer not_open before startsAt − 15 min, never a facilitator; not_open comes before locked', () => {
    expect(admissionRefusal(scheduled, { facilitator: false, now: NOW })).toBe('not_open');
    expect(admissionRefusal({ ...scheduled, locked: true }, { facilitator: false, now: NOW })).toBe('not_open');
    expect(admissionRefusal(scheduled, { facilitator: true, now: NOW })).toBeNull();
    expect(admissionRefusal(scheduled, { facilitator: false, now: NOW + 1 })).toBeNull();
    expect(admissionRefusal({ ...scheduled, locked: true }, { facilitator: false, now: NOW + 1 })).toBe('locked');
  });

  it('an unscheduled circle is always open; without now the window is not judged', () => {
    expect(admissionRefusal(standardCircle(), { facilitator: false, now: NOW })).toBeNull();
    expect(admissionRefusal(scheduled, { facilitator: false })).toBeNull();
  });
});
