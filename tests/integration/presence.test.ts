import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFakeClock, SqliteCircleStore, type FakeClock } from '@spiral/server';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAllSockets, join, roundTrip, seatCircle, startServer, type Member, type TestServer } from '../support/harness.js';

const GRACE = 30_000;
const servers: TestServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  closeAllSockets();
  await Promise.all(servers.splice(0).map((s) => s.close()));
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

async function start(clock: FakeClock, store?: SqliteCircleStore) {
  const server = await startServer({ clock, store, config: { holderGraceMs: GRACE } });
  servers.push(server);
  return server;
}

const idOf = (m: Member) => m.welcome.participantId;
const awayIs = (m: Member, away: boolean) => (s: { participants: { id: string; connected: boolean }[] }) =>
  s.participants.some((p) => p.id === idOf(m) && p.connected === !away);

describe('presence and the holder grace period (fake clock)', () => {
  it('a holder who drops keeps the piece through the grace period and still holds it on return', async () => {
    const clock = createFakeClock();
    const server = await start(clock);
    const { host, others } = await seatCircle(server.url, ['Bea', 'Cy']);
    const [bea] = others as [Member, Member];
    await host.send({ type: 'piece.pass', to: idOf(bea) });
    bea.close();
    await host.waitFor(awayIs(bea, true));
    expect(host.latest().participants.find((p) => p.id === idOf(bea))?.connected).toBe(false);
    await clock.advance(GRACE - 1);
    await roundTrip(host);
    expect(host.latest().piece.holderId).toBe(idOf(bea));
    const back = await join(server.url, { circleId: host.latest().id, sessionToken: bea.welcome.sessionToken });
    await clock.advance(GRACE * 2);
    await roundTrip(host);
    expect(back.latest().piece.holderId).toBe(idOf(bea));
    expect(host.latest().piece.holderId).toBe(idOf(bea));
  });

  it('round: after the grace the piece moves to the next connected seat', async () => {
    const clock = createFakeClock();
    const server = await start(clock);
    const { host, others } = await seatCircle(server.url, ['Bea', 'Cy', 'Dee']);
    const [bea, cy, dee] = others as [Member, Member, Member];
    await host.send({ type: 'piece.pass', to: idOf(bea) });
    cy.close();
    await host.waitFor(awayIs(cy, true));
    bea.close();
    await host.waitFor(awayIs(bea, true));
    await clock.advance(GRACE);
    const moved = await dee.waitFor((s) => s.piece.holderId !== idOf(bea));
    expect(moved.piece.holderId).toBe(idOf(dee));
  });

  it('popcorn: after the grace the piece goes to the connected queue head; away queue members lose their place', async () => {
    const clock = createFakeClock();
    const server = await start(clock);
    const { host, others } = await seatCircle(server.url, ['Bea', 'Cy', 'Dee']);
    const [bea, cy, dee] = others as [Member, Member, Member];
    await host.send({ type: 'piece.mode', mode: 'popcorn' });
    await cy.send({ type: 'hand.raise' });
    await dee.send({ type: 'hand.raise' });
    await host.send({ type: 'piece.pass', to: idOf(bea) });
    cy.close();
    await host.waitFor(awayIs(cy, true));
    bea.close();
    await host.waitFor(awayIs(bea, true));
    expect(host.latest().piece.queue).toEqual([idOf(cy), idOf(dee)]); // away members keep their place meanwhile
    await clock.advance(GRACE);
    const settled = await host.waitFor((s) => s.piece.holderId === idOf(dee) && s.piece.queue.length === 0);
    expect(settled.piece).toMatchObject({ holderId: idOf(dee), queue: [] });
  });

  it('popcorn with an empty queue: the piece goes to the centre', async () => {
    const clock = createFakeClock();
    const server = await start(clock);
    const { host, others } = await seatCircle(server.url, ['Bea']);
    const [bea] = others as [Member];
    await host.send({ type: 'piece.mode', mode: 'popcorn' });
    await host.send({ type: 'piece.pass', to: idOf(bea) });
    bea.close();
    await host.waitFor(awayIs(bea, true));
    await clock.advance(GRACE);
    const settled = await host.waitFor((s) => s.piece.holderId === null);
    expect(settled.piece.since).toBeNull();
  });

  it('the shared timer finishes as a server-side change at endsAt', async () => {
    const clock = createFakeClock();
    const server = await start(clock);
    const { host } = await seatCircle(server.url, []);
    await host.send({ type: 'timer.start', durationMs: 120_000 });
    const version = host.latest().version;
    await clock.advance(119_999);
    await roundTrip(host);
    expect(host.latest().timer.running).toBe(true);
    await clock.advance(1);
    const done = await host.waitFor((s) => !s.timer.running);
    expect(done.timer).toEqual({ label: '', durationMs: 120_000, running: false, endsAt: null, remainingMs: 0 });
    expect(done.version).toBe(version + 1);
    expect(await host.send({ type: 'timer.resume' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('a paused timer does not finish', async () => {
    const clock = createFakeClock();
    const server = await start(clock);
    const { host } = await seatCircle(server.url, []);
    await host.send({ type: 'timer.start', durationMs: 60_000 });
    await clock.advance(10_000);
    await host.send({ type: 'timer.pause' });
    await clock.advance(120_000);
    await roundTrip(host);
    expect(host.latest().timer).toMatchObject({ running: false, remainingMs: 50_000 });
  });
});

describe('restart on SQLite', () => {
  it('keeps members, tokens, seats, the timer and the version; grace counts from start-up', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiral-restart-'));
    dirs.push(dir);
    const clock = createFakeClock();
    const first = await start(clock, SqliteCircleStore.inDataDir(dir));
    const { circle, host, others } = await seatCircle(first.url, ['Bea', 'Cy']);
    const [bea, cy] = others as [Member, Member];
    await host.send({ type: 'stage.advance' });
    await host.send({ type: 'piece.pass', to: idOf(bea) });
    await cy.send({ type: 'hand.raise' });
    await host.send({ type: 'timer.start', durationMs: 600_000, label: 'Open sentences' });
    const before = await host.waitFor((s) => s.timer.running);
    closeAllSockets();
    await first.close();
    servers.splice(servers.indexOf(first), 1);

    await clock.advance(5_000);
    const second = await start(clock, SqliteCircleStore.inDataDir(dir));
    const restarted = await second.app.service.state(circle.circleId);
    expect(restarted?.version).toBeGreaterThan(before.version);
    expect(restarted?.participants.every((p) => !p.connected)).toBe(true);
    expect(restarted?.timer).toEqual(before.timer);
    expect(restarted?.stage).toEqual(before.stage);
    expect(restarted?.piece.holderId).toBe(idOf(bea));

    const beaBack = await join(second.url, { circleId: circle.circleId, sessionToken: bea.welcome.sessionToken });
    expect(beaBack.welcome.participantId).toBe(idOf(bea));
    const beaSeat = before.participants.find((p) => p.id === idOf(bea))?.seat;
    expect(beaBack.latest().participants.find((p) => p.id === idOf(bea))?.seat).toBe(beaSeat);
    const hostBack = await join(second.url, { circleId: circle.circleId, sessionToken: host.welcome.sessionToken });
    expect(hostBack.latest().participants.find((p) => p.id === idOf(host))?.role).toBe('facilitator');

    // Cy never came back: after the grace (from start-up) Cy leaves the queue; Bea still holds the piece.
    await clock.advance(GRACE);
    const settled = await hostBack.waitFor((s) => s.piece.queue.length === 0);
    expect(settled.piece.holderId).toBe(idOf(bea));
    expect(settled.timer.endsAt).toBe(before.timer.endsAt);
  });

  it('a timer that ran out while the server was down finishes at start-up', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiral-restart-'));
    dirs.push(dir);
    const clock = createFakeClock();
    const first = await start(clock, SqliteCircleStore.inDataDir(dir));
    const { circle, host } = await seatCircle(first.url, []);
    await host.send({ type: 'timer.start', durationMs: 10_000 });
    closeAllSockets();
    await first.close();
    servers.splice(servers.indexOf(first), 1);
    await clock.advance(60_000);
    const second = await start(clock, SqliteCircleStore.inDataDir(dir));
    await clock.advance(0);
    await expect.poll(async () => (await second.app.service.state(circle.circleId))?.timer.running).toBe(false);
    expect((await second.app.service.state(circle.circleId))?.timer.remainingMs).toBe(0);
  });
});
