import type { RelayedMediaSignal } from '@spiral/shared';
import { describe, expect, it } from 'vitest';
import type { RateLimit } from '../rate-limits.js';
import { route } from './event-route.js';
import { signalRoute } from './signal-relay.js';

const who = { circleId: 'c1', participantId: 'a', sessionToken: 't' };
const allow: RateLimit = { allow: async () => true };
const offer = { type: 'offer', sdp: 'v=0' } as const;

/**
 * `a` on connection s-a, `b` on s-b and `c` on s-c are in c1's main session, `g` on s-g in group g1's;
 * only s-b and s-g can be delivered to.
 */
function setup(limit: RateLimit = allow) {
  const sessions: Record<string, { place: string; connectionId: string }> = {
    a: { place: 'main', connectionId: 's-a' },
    b: { place: 'main', connectionId: 's-b' },
    c: { place: 'main', connectionId: 's-c' },
    g: { place: 'g1', connectionId: 's-g' },
  };
  const delivered: { to: string; signal: RelayedMediaSignal }[] = [];
  const relay = route('s-a', signalRoute(who, 's-a', {
    peers: { sessionOf: (circleId, id) => (circleId === 'c1' ? sessions[id] : undefined) },
    deliver: (to, signal) => (to === 's-b' || to === 's-g') && delivered.push({ to, signal }) > 0,
    limit,
  }));
  return { relay, delivered, sessions };
}

describe('the signal relay', () => {
  it('passes a signal to the peer\'s connection, marked with the sender and without "to"', async () => {
    const { relay, delivered } = setup();
    expect(await relay({ to: 'b', description: offer })).toEqual({ ok: true });
    expect(delivered).toEqual([{ to: 's-b', signal: { description: offer, from: 'a' } }]);
  });

  it('refuses a sender whose connection is not the one in the session', async () => {
    const { relay, delivered, sessions } = setup();
    sessions.a = { place: 'main', connectionId: 's-other' };
    expect(await relay({ to: 'b', candidate: null })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(delivered).toEqual([]);
  });

  it('refuses a peer outside the session, one whose connection is gone, and the sender themselves', async () => {
    const { relay, delivered } = setup();
    for (const to of ['z', 'c', 'a']) expect(await relay({ to, candidate: null })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(delivered).toEqual([]);
  });

  it('never crosses places: a peer in another place\'s session is not_found, and is reached once both are in one place', async () => {
    const { relay, delivered, sessions } = setup();
    expect(await relay({ to: 'g', candidate: null })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(delivered).toEqual([]);
    sessions.a = { place: 'g1', connectionId: 's-a' };
    expect(await relay({ to: 'g', candidate: null })).toEqual({ ok: true });
    expect(await relay({ to: 'b', candidate: null })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(delivered).toEqual([{ to: 's-g', signal: { candidate: null, from: 'a' } }]);
  });

  it('checks the rate limit before the schema, and the schema before anything else', async () => {
    const limited = setup({ allow: async () => false });
    expect(await limited.relay('not even a signal')).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    const { relay, delivered } = setup();
    expect(await relay({ to: 'b' })).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringMatching(/"to"/) } });
    expect(delivered).toEqual([]);
  });
});
