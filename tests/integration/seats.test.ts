import { createFakeClock } from '@spiral/server';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAllSockets, createCircle, join, joinError, startServer, type Member, type TestServer } from '../support/harness.js';

const GRACE = 30_000;
const servers: TestServer[] = [];
afterEach(async () => {
  closeAllSockets();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A distinct client address for the i-th bot (the test server trusts its loopback proxy). */
const from = (i: number) => ({ 'x-forwarded-for': `203.0.113.${i % 250}` });

describe('seats come back after the grace period (issue 14)', () => {
  it('members who left and stayed away past the grace period free their seats; the key always gets in', async () => {
    const clock = createFakeClock();
    const server = await startServer({ clock, config: { holderGraceMs: GRACE, joinRatePerMinute: 1_000 } });
    servers.push(server);
    const { circleId, facilitatorKey } = await createCircle(server.url);
    const host = await join(server.url, { circleId, name: 'Host', facilitatorKey });
    const bots: Member[] = [];
    for (let i = 0; i < 49; i++) bots.push(await join(server.url, { circleId, name: `Bot ${i}` }, from(i)));
    expect(await joinError(server.url, { circleId, name: 'Newcomer' }, from(200))).toBe('full');
    // The facilitator with the key, on a new device, always gets in, even when the circle is full.
    const second = await join(server.url, { circleId, name: 'Host on a phone', facilitatorKey }, from(201));
    expect(second.latest().participants.find((p) => p.id === second.welcome.participantId)?.role).toBe('facilitator');
    second.close();

    for (const bot of bots) bot.close();
    await host.waitFor((s) => s.participants.length === 51 && s.participants.filter((p) => p.connected).length === 1, 5_000);
    // Within the grace period the seats are still held.
    await clock.advance(GRACE - 1);
    expect(await joinError(server.url, { circleId, name: 'Newcomer' }, from(202))).toBe('full');
    await clock.advance(1);
    const newcomer = await join(server.url, { circleId, name: 'Newcomer' }, from(203));
    expect(newcomer.latest().participants.find((p) => p.id === newcomer.welcome.participantId)?.connected).toBe(true);

    // A released member may resume with their token while a seat is free...
    const back = await join(server.url, { circleId, sessionToken: bots[0]!.welcome.sessionToken }, from(0));
    expect(back.welcome.participantId).toBe(bots[0]!.welcome.participantId);
    // ...and is told `full` when none is.
    const more: Member[] = [];
    for (let i = 0; i < 50 - 3; i++) more.push(await join(server.url, { circleId, name: `Late ${i}` }, from(i + 1)));
    const seated = host.latest().participants.length;
    expect(seated).toBeGreaterThan(50);
    expect(await joinError(server.url, { circleId, name: 'Another' }, from(204))).toBe('full');
    expect(await joinError(server.url, { circleId, sessionToken: bots[1]!.welcome.sessionToken }, from(1))).toBe('full');
  });
});

describe('one address cannot take every seat (issue 14)', () => {
  it('refuses the 11th simultaneous seat from one address with full; the key, other addresses and reloads still get in', async () => {
    const server = await startServer({ config: { joinRatePerMinute: 1_000 } });
    servers.push(server);
    const { circleId, facilitatorKey } = await createCircle(server.url);
    const office = { 'x-forwarded-for': '198.51.100.7' };
    const seated: Member[] = [];
    for (let i = 0; i < 10; i++) seated.push(await join(server.url, { circleId, name: `Desk ${i}` }, office));
    expect(await joinError(server.url, { circleId, name: 'Desk 10' }, office)).toBe('full');
    // A reload with a member's own token is not a new seat.
    const reloaded = await join(server.url, { circleId, sessionToken: seated[0]!.welcome.sessionToken }, office);
    expect(reloaded.welcome.participantId).toBe(seated[0]!.welcome.participantId);
    // The facilitator key is never refused by the cap; other addresses are not touched by it.
    await join(server.url, { circleId, name: 'Host', facilitatorKey }, office);
    await join(server.url, { circleId, name: 'Elsewhere' }, { 'x-forwarded-for': '198.51.100.8' });
    // A seat given back (the connection closed) can be taken again.
    seated[5]!.close();
    await reloaded.waitFor((s) => s.participants.some((p) => p.id === seated[5]!.welcome.participantId && !p.connected));
    await join(server.url, { circleId, name: 'Desk 10' }, office);
    expect(await joinError(server.url, { circleId, name: 'Desk 11' }, office)).toBe('full');
  });
});

describe('the join budget is spent only by handshakes that reach a circle (issue 14)', () => {
  it('600 garbage handshakes do not lock the address out of a real join', async () => {
    const server = await startServer({ config: { joinRatePerMinute: 600 } });
    servers.push(server);
    const { circleId } = await createCircle(server.url);
    const garbage = (i: number) => (i % 2 === 0 ? { circleId: `nope-${i}`, name: 'Bot' } : { circleId, name: 'Bot', sessionToken: 5 });
    for (let batch = 0; batch < 12; batch++) {
      const codes = await Promise.all(Array.from({ length: 50 }, (_, i) => joinError(server.url, garbage(batch * 50 + i))));
      expect(new Set(codes)).toEqual(new Set(['not_found', 'invalid']));
    }
    const member = await join(server.url, { circleId, name: 'Real' });
    expect(member.welcome.participantId).toMatch(/^p_/);
  });
});

describe('the facilitator clears a wave of newcomers at once (issue 14)', () => {
  it('participants.remove disconnects every listed participant and revokes their tokens; facilitators stay', async () => {
    const server = await startServer();
    servers.push(server);
    const { circleId, facilitatorKey } = await createCircle(server.url);
    const host = await join(server.url, { circleId, name: 'Host', facilitatorKey });
    const friend = await join(server.url, { circleId, name: 'Friend' });
    const wave: Member[] = [];
    for (let i = 0; i < 4; i++) wave.push(await join(server.url, { circleId, name: `Bot ${i}` }));
    const ids = wave.map((m) => m.welcome.participantId);
    const ack = await host.send({ type: 'participants.remove', participantIds: [...ids, host.welcome.participantId] });
    expect(ack.ok).toBe(true);
    const after = await host.waitFor((s) => s.participants.length === 2);
    expect(after.participants.map((p) => p.name)).toEqual(['Host', 'Friend']);
    for (const bot of wave) {
      await expect.poll(() => bot.removed).toEqual([{ reason: 'removed' }]);
      expect(await joinError(server.url, { circleId, sessionToken: bot.welcome.sessionToken })).toBe('removed');
    }
    expect(friend.socket.connected).toBe(true);
    // A participant may not send it.
    expect((await friend.send({ type: 'participants.remove', participantIds: [host.welcome.participantId] })).ok).toBe(false);
  });
});
