import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeAllSockets, createCircle, join, joinError, startServer, type TestServer } from '../support/harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ config: { publicOrigin: 'https://circles.example.org', allowLocalhostOrigins: false } });
});
afterAll(() => server.close());
afterEach(() => closeAllSockets());

describe('joining a circle', () => {
  it('welcomes a newcomer, then sends the snapshot with them seated', async () => {
    const { circleId } = await createCircle(server.url);
    const ada = await join(server.url, { circleId, name: '  Ada  ' });
    expect(ada.welcome.participantId).toMatch(/^p_/);
    expect(ada.welcome.sessionToken.length).toBeGreaterThanOrEqual(22);
    expect(Math.abs(ada.welcome.serverTime - Date.now())).toBeLessThan(5_000);
    const me = ada.latest().participants.find((p) => p.id === ada.welcome.participantId);
    expect(me).toMatchObject({ name: 'Ada', role: 'participant', connected: true, seat: 1 });
  });

  it('makes a valid facilitator key a facilitator', async () => {
    const { circleId, facilitatorKey } = await createCircle(server.url);
    const host = await join(server.url, { circleId, name: 'Host', facilitatorKey });
    expect(host.latest().participants[0]?.role).toBe('facilitator');
  });

  it.each([
    ['no circle id', { name: 'A' }, 'not_found'],
    ['an unknown circle', { circleId: 'does-not-exist', name: 'A' }, 'not_found'],
    ['a circle id that is not a string', { circleId: 12, name: 'A' }, 'not_found'],
  ])('refuses %s with not_found', async (_label, auth, code) => {
    expect(await joinError(server.url, auth)).toBe(code);
  });

  it.each([
    ['no name', {}],
    ['an empty name', { name: '   ' }],
    ['a name over 60 characters', { name: 'x'.repeat(61) }],
    ['a name that is not a string', { name: { first: 'A' } }],
    ['a session token that is not a string', { name: 'A', sessionToken: 5 }],
  ])('refuses %s with invalid', async (_label, auth) => {
    const { circleId } = await createCircle(server.url);
    expect(await joinError(server.url, { circleId, ...auth })).toBe('invalid');
  });

  it('refuses a wrong facilitator key with bad_key, never a silent downgrade', async () => {
    const { circleId } = await createCircle(server.url);
    expect(await joinError(server.url, { circleId, name: 'A', facilitatorKey: 'wrong' })).toBe('bad_key');
    const other = await createCircle(server.url);
    expect(await joinError(server.url, { circleId, name: 'A', facilitatorKey: other.facilitatorKey })).toBe('bad_key');
  });

  it('checks not_found before invalid, and invalid before bad_key', async () => {
    expect(await joinError(server.url, { circleId: 'nope', name: '' })).toBe('not_found');
    // A malformed token or key is judged only once the circle is known to exist.
    expect(await joinError(server.url, { circleId: 'nope', name: 'Ann', sessionToken: 5 })).toBe('not_found');
    const { circleId } = await createCircle(server.url);
    expect(await joinError(server.url, { circleId, name: 'Ann', sessionToken: 5 })).toBe('invalid');
    expect(await joinError(server.url, { circleId, name: '', facilitatorKey: 'wrong' })).toBe('invalid');
  });

  it('refuses a browser handshake from a foreign origin with forbidden, and accepts our own', async () => {
    const { circleId } = await createCircle(server.url);
    expect(await joinError(server.url, { circleId, name: 'A' }, { origin: 'https://evil.example.com' })).toBe('forbidden');
    expect(await joinError(server.url, { circleId, name: 'A' }, { origin: 'http://localhost:5173' })).toBe('forbidden');
    const ok = await join(server.url, { circleId, name: 'A' }, { origin: 'https://circles.example.org' });
    expect(ok.welcome.participantId).toBeTruthy();
  });

  it('checks forbidden before not_found', async () => {
    expect(await joinError(server.url, { circleId: 'nope', name: 'A' }, { origin: 'https://evil.example.com' })).toBe('forbidden');
  });

  it('a locked circle refuses newcomers but lets members resume', async () => {
    const { circleId, facilitatorKey } = await createCircle(server.url);
    const host = await join(server.url, { circleId, name: 'Host', facilitatorKey });
    const bea = await join(server.url, { circleId, name: 'Bea' });
    expect(await host.send({ type: 'circle.lock', locked: true })).toMatchObject({ ok: true });
    expect(await joinError(server.url, { circleId, name: 'Cy' })).toBe('locked');
    bea.close();
    await host.waitFor((s) => s.participants.some((p) => p.id === bea.welcome.participantId && !p.connected));
    const back = await join(server.url, { circleId, sessionToken: bea.welcome.sessionToken });
    expect(back.welcome.participantId).toBe(bea.welcome.participantId);
    const summary = (await (await fetch(`${server.url}/api/circles/${circleId}`)).json()) as { locked: boolean };
    expect(summary.locked).toBe(true);
  });

  it('resumes a member with the same id, seat, role, raised hand and token; the name in auth is ignored', async () => {
    const { circleId, facilitatorKey } = await createCircle(server.url);
    const host = await join(server.url, { circleId, name: 'Host', facilitatorKey });
    const bea = await join(server.url, { circleId, name: 'Bea' });
    await bea.send({ type: 'hand.raise' });
    const before = bea.latest().participants.find((p) => p.id === bea.welcome.participantId)!;
    bea.close();
    await host.waitFor((s) => s.participants.some((p) => p.id === before.id && !p.connected));
    const again = await join(server.url, { circleId, name: 12345, sessionToken: bea.welcome.sessionToken });
    expect(again.welcome.participantId).toBe(before.id);
    expect(again.welcome.sessionToken).toBe(bea.welcome.sessionToken);
    const after = again.latest().participants.find((p) => p.id === before.id)!;
    expect(after).toMatchObject({ seat: before.seat, role: 'participant', name: 'Bea', connected: true });
    expect(again.latest().piece.queue).toEqual([before.id]);
    expect(again.latest().participants).toHaveLength(2);
  });

  it('a valid facilitator key on resume promotes the member', async () => {
    const { circleId, facilitatorKey } = await createCircle(server.url);
    const bea = await join(server.url, { circleId, name: 'Bea' });
    bea.close();
    const back = await join(server.url, { circleId, sessionToken: bea.welcome.sessionToken, facilitatorKey });
    expect(back.latest().participants.find((p) => p.id === bea.welcome.participantId)?.role).toBe('facilitator');
  });

  it('a token that matches no member seats a new participant', async () => {
    const { circleId } = await createCircle(server.url);
    const fresh = await join(server.url, { circleId, name: 'Dee', sessionToken: 'not-a-real-token' });
    expect(fresh.welcome.sessionToken).not.toBe('not-a-real-token');
    expect(fresh.latest().participants).toHaveLength(1);
  });

  it('the newest connection of a member wins; the older one is told it was replaced and closed', async () => {
    const { circleId } = await createCircle(server.url);
    const first = await join(server.url, { circleId, name: 'Eve' });
    const disconnected = new Promise<void>((resolve) => first.socket.once('disconnect', () => resolve()));
    const second = await join(server.url, { circleId, sessionToken: first.welcome.sessionToken });
    await disconnected;
    expect(first.removed).toEqual([{ reason: 'replaced' }]);
    expect(second.welcome.participantId).toBe(first.welcome.participantId);
    const me = second.latest().participants.find((p) => p.id === second.welcome.participantId);
    expect(me?.connected).toBe(true);
    // The replaced socket closing must not mark the member away.
    await second.send({ type: 'hand.raise' });
    expect(second.latest().participants.find((p) => p.id === me?.id)?.connected).toBe(true);
  });

  it('a removed member is disconnected, told why, and refused with removed afterwards', async () => {
    const { circleId, facilitatorKey } = await createCircle(server.url);
    const host = await join(server.url, { circleId, name: 'Host', facilitatorKey });
    const bea = await join(server.url, { circleId, name: 'Bea' });
    const closed = new Promise<void>((resolve) => bea.socket.once('disconnect', () => resolve()));
    expect(await host.send({ type: 'participant.remove', participantId: bea.welcome.participantId })).toMatchObject({ ok: true });
    await closed;
    expect(bea.removed).toEqual([{ reason: 'removed' }]);
    expect(await joinError(server.url, { circleId, name: 'Bea', sessionToken: bea.welcome.sessionToken })).toBe('removed');
    expect(host.latest().participants.map((p) => p.name)).toEqual(['Host']);
  });

  it('a full circle refuses the 51st member', async () => {
    const { circleId } = await createCircle(server.url);
    // From several addresses: one address holds at most SEATS_PER_ADDRESS (10) seats in a circle.
    for (let i = 0; i < 50; i++) await join(server.url, { circleId, name: `P${i}` }, { 'x-forwarded-for': `192.0.2.${i}` });
    expect(await joinError(server.url, { circleId, name: 'One too many' })).toBe('full');
  });
});

describe('join rate limit', () => {
  it('refuses joins over JOIN_RATE_PER_MINUTE from one address with rate_limited', async () => {
    const limited = await startServer({ config: { joinRatePerMinute: 3 } });
    try {
      const { circleId } = await createCircle(limited.url);
      for (let i = 0; i < 3; i++) await join(limited.url, { circleId, name: `P${i}` });
      expect(await joinError(limited.url, { circleId, name: 'P3' })).toBe('rate_limited');
    } finally {
      closeAllSockets();
      await limited.close();
    }
  });

  it('allows at least 60 joins at once from one address by default', async () => {
    // Across six circles: one address holds at most SEATS_PER_ADDRESS (10) seats in each.
    const circles = await Promise.all(Array.from({ length: 6 }, () => createCircle(server.url)));
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) => join(server.url, { circleId: circles[i % 6]!.circleId, name: `N${i}` })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(60);
  });
});
