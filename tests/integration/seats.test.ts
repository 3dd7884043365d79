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
