/**
 * Breakouts (v1.1) over real sockets, on the fake clock: pairs of four participants, swap, pass,
 * broadcast, visits, the recall with afterMs and the automatic return, the recall at endsAt, a member
 * leaving mid-breakout, a late joiner, a step in pairs, the help call, and a restart (SQLite).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFakeClock, SqliteCircleStore, type FakeClock } from '@spiral/server';
import type { CircleState } from '@spiral/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAllSockets, join, roundTrip, seatCircle, startServer, type Member, type TestServer } from '../support/harness.js';

const servers: TestServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  closeAllSockets();
  await Promise.all(servers.splice(0).map((s) => s.close()));
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

const GRACE_MS = 30_000;

async function start(clock: FakeClock = createFakeClock(), store?: SqliteCircleStore) {
  const server = await startServer({ clock, store, config: { holderGraceMs: GRACE_MS } });
  servers.push(server);
  return { server, clock };
}

const idOf = (m: Member) => m.welcome.participantId;
const refusedWith = (code: string) => ({ ok: false, error: { code, message: expect.any(String) } });

/** After a round trip on every member: the snapshots each received newer than `version`. */
async function snapshotsAfter(everyone: Member[], version: number): Promise<CircleState[][]> {
  await Promise.all(everyone.map(roundTrip));
  return everyone.map((m) => m.states.filter((s) => s.version > version));
}

/** The breakouts as `member` sees them now (they must be open). */
function breakoutsOf(member: Member) {
  const { breakouts } = member.latest();
  if (!breakouts) expect.fail('expected breakouts to be open');
  return breakouts;
}

/** A host and four participants: Bea, Cy, Dee, Eli. */
async function fourInACircle(server: TestServer) {
  const { circle, host, others } = await seatCircle(server.url, ['Bea', 'Cy', 'Dee', 'Eli']);
  const everyone = [host, ...others];
  const byId = new Map(everyone.map((m) => [idOf(m), m]));
  return { circle, host, others, everyone, byId };
}

describe('breakouts over real sockets', () => {
  it('open pairs with four participants: one snapshot to everyone, every participant in one pair, the host in the main circle', async () => {
    const { server } = await start();
    const { host, others, everyone } = await fourInACircle(server);
    const version = host.latest().version;
    const ack = await host.send({ type: 'breakout.open', size: 2, prompt: 'What are you grateful for?' });
    expect(ack).toEqual({ ok: true, version: version + 1 });
    for (const snapshots of await snapshotsAfter(everyone, version)) {
      expect(snapshots.map((s) => s.version)).toEqual([version + 1]);
      const { breakouts } = snapshots[0]!;
      expect(breakouts).toMatchObject({ id: `b${version}`, prompt: 'What are you grateful for?', mode: 'turns', message: null, visits: {}, endsAt: null, closingAt: null });
      expect(breakouts!.groups.map((g) => g.id)).toEqual([`b${version}g1`, `b${version}g2`]);
      expect(breakouts!.groups.map((g) => g.memberIds.length)).toEqual([2, 2]);
      expect(breakouts!.groups.flatMap((g) => g.memberIds).sort()).toEqual(others.map(idOf).sort());
      for (const g of breakouts!.groups) expect(g.speakerId).toBe(g.memberIds[0]);
    }
    // Already open: conflict; a participant may not open: forbidden; groups naming someone twice: invalid, even from a participant.
    expect(await host.send({ type: 'breakout.open', size: 3 })).toEqual(refusedWith('conflict'));
    expect(await others[0]!.send({ type: 'breakout.open', size: 2 })).toEqual(refusedWith('forbidden'));
    expect(await others[0]!.send({ type: 'breakout.open', size: 2, groups: [[idOf(others[0]!)], [idOf(others[0]!)]] })).toEqual(refusedWith('invalid'));
    expect((await snapshotsAfter(everyone, version + 1)).flat()).toEqual([]);
  });

  it('given groups, swap, pass (speaker, not the others), broadcast, visit and a visiting facilitator’s pass', async () => {
    const { server, clock } = await start();
    const { host, others, everyone } = await fourInACircle(server);
    const [bea, cy, dee, eli] = others as [Member, Member, Member, Member];
    const groups = [[idOf(bea), idOf(cy)], [idOf(dee), idOf(eli)]];
    expect(await host.send({ type: 'breakout.open', size: 2, groups })).toMatchObject({ ok: true });
    const opened = await eli.waitFor((s) => s.breakouts !== null);
    const [g1, g2] = opened.breakouts!.groups.map((g) => g.id) as [string, string];
    expect(opened.breakouts!.groups.map((g) => [g.memberIds, g.speakerId])).toEqual([
      [groups[0], idOf(bea)],
      [groups[1], idOf(dee)],
    ]);

    // swap: A↔B in every pair.
    expect(await host.send({ type: 'breakout.swap' })).toMatchObject({ ok: true });
    await Promise.all(everyone.map(roundTrip));
    expect(breakoutsOf(bea).groups.map((g) => g.speakerId)).toEqual([idOf(cy), idOf(eli)]);

    // pass: only the group's speaker; the others are forbidden; a facilitator visiting no group too.
    expect(await bea.send({ type: 'breakout.pass' })).toEqual(refusedWith('forbidden'));
    expect(await host.send({ type: 'breakout.pass' })).toEqual(refusedWith('forbidden'));
    expect(await cy.send({ type: 'breakout.pass' })).toMatchObject({ ok: true });
    await Promise.all(everyone.map(roundTrip));
    expect(breakoutsOf(dee).groups.map((g) => g.speakerId)).toEqual([idOf(bea), idOf(eli)]);

    // broadcast: the word reaches every group, with the server's time.
    await clock.advance(1_000);
    expect(await host.send({ type: 'breakout.broadcast', text: '  Two more minutes  ' })).toMatchObject({ ok: true });
    for (const m of everyone) expect((await m.waitFor((s) => s.breakouts?.message != null)).breakouts!.message).toEqual({ text: 'Two more minutes', at: clock.now() });

    // visit: the host joins the second pair and passes its turn; unknown group: not_found; back with null.
    expect(await host.send({ type: 'breakout.visit', groupId: 'b0g9' })).toEqual(refusedWith('not_found'));
    expect(await bea.send({ type: 'breakout.visit', groupId: g2 })).toEqual(refusedWith('forbidden'));
    expect(await host.send({ type: 'breakout.visit', groupId: g2 })).toMatchObject({ ok: true });
    expect((await dee.waitFor((s) => Object.keys(s.breakouts?.visits ?? {}).length > 0)).breakouts!.visits).toEqual({ [idOf(host)]: g2 });
    expect(await host.send({ type: 'breakout.pass' })).toMatchObject({ ok: true });
    await Promise.all(everyone.map(roundTrip));
    expect(breakoutsOf(eli).groups.map((g) => g.speakerId)).toEqual([idOf(bea), idOf(dee)]);
    expect(await host.send({ type: 'breakout.visit', groupId: null })).toMatchObject({ ok: true });
    await Promise.all(everyone.map(roundTrip));
    expect(breakoutsOf(cy).visits).toEqual({});
    expect(g1).not.toBe(g2);
  });

  it('close with afterMs: a bell of two strikes now, everyone back at closingAt by itself; conflict while announced unless 0', async () => {
    const { server, clock } = await start();
    const { host, everyone } = await fourInACircle(server);
    expect(await host.send({ type: 'breakout.open', size: 2 })).toMatchObject({ ok: true });
    await Promise.all(everyone.map(roundTrip));
    const version = host.latest().version;
    const announcedAt = clock.now();
    expect(await host.send({ type: 'breakout.close', afterMs: 20_000 })).toEqual({ ok: true, version: version + 1 });
    for (const snapshots of await snapshotsAfter(everyone, version)) {
      expect(snapshots).toHaveLength(1);
      expect(snapshots[0]!.breakouts!.closingAt).toBe(announcedAt + 20_000);
      expect(snapshots[0]!.bell).toEqual({ id: 1, strikes: 2, at: announcedAt + 300 });
    }
    expect(await host.send({ type: 'breakout.close', afterMs: 5_000 })).toEqual(refusedWith('conflict'));

    await clock.advance(19_999);
    expect((await snapshotsAfter(everyone, version + 1)).flat()).toEqual([]);
    await clock.advance(1);
    for (const snapshots of await snapshotsAfter(everyone, version + 1)) {
      expect(snapshots.map((s) => [s.version, s.breakouts])).toEqual([[version + 2, null]]);
    }
    expect(await host.send({ type: 'breakout.close' })).toEqual(refusedWith('conflict'));
  });

  it('a recall already announced closes at once with afterMs 0, and its wake-up then changes nothing', async () => {
    const { server, clock } = await start();
    const { host, everyone } = await fourInACircle(server);
    await host.send({ type: 'breakout.open', size: 4 });
    await host.send({ type: 'breakout.close', afterMs: 60_000 });
    expect(await host.send({ type: 'breakout.close', afterMs: 0 })).toMatchObject({ ok: true });
    await Promise.all(everyone.map(roundTrip));
    expect(host.latest().breakouts).toBeNull();
    // New breakouts are not closed by the old return.
    expect(await host.send({ type: 'breakout.open', size: 2 })).toMatchObject({ ok: true });
    const reopened = await host.waitFor((s) => s.breakouts !== null && s.breakouts.closingAt === null);
    await clock.advance(60_000);
    expect((await snapshotsAfter(everyone, reopened.version)).flat()).toEqual([]);
  });

  it('durationMs: at endsAt the recall starts as a server-side change (like close with afterMs 30 000), then everyone returns', async () => {
    const { server, clock } = await start();
    const { host, everyone } = await fourInACircle(server);
    const openedAt = clock.now();
    expect(await host.send({ type: 'breakout.open', size: 2, durationMs: 10_000, mode: 'open' })).toMatchObject({ ok: true });
    const opened = await host.waitFor((s) => s.breakouts !== null);
    expect(opened.breakouts).toMatchObject({ mode: 'open', endsAt: openedAt + 10_000, closingAt: null });
    for (const g of opened.breakouts!.groups) expect(g.speakerId).toBeNull();

    await clock.advance(10_000);
    for (const snapshots of await snapshotsAfter(everyone, opened.version)) {
      expect(snapshots).toHaveLength(1);
      expect(snapshots[0]!.breakouts).toMatchObject({ closingAt: openedAt + 40_000 });
      expect(snapshots[0]!.bell).toEqual({ id: 1, strikes: 2, at: openedAt + 10_300 });
    }
    await clock.advance(30_000);
    for (const snapshots of await snapshotsAfter(everyone, opened.version + 1)) {
      expect(snapshots.map((s) => [s.version, s.breakouts])).toEqual([[opened.version + 2, null]]);
    }
  });

  it('a member leaving mid-breakout: removed, or away past the grace; the turn passes on, an empty group is dropped; a newcomer stays in the main circle', async () => {
    const { server, clock } = await start();
    const { circle, host, others, everyone } = await fourInACircle(server);
    const [bea, cy, dee, eli] = others as [Member, Member, Member, Member];
    await host.send({ type: 'breakout.open', size: 2, groups: [[idOf(bea), idOf(cy), idOf(dee)], [idOf(eli)]] });
    await Promise.all(everyone.map(roundTrip));

    // Bea, the first group's speaker, is removed: Cy has the turn.
    expect(await host.send({ type: 'participant.remove', participantId: idOf(bea) })).toMatchObject({ ok: true });
    const afterRemoval = await cy.waitFor((s) => !s.participants.some((p) => p.id === idOf(bea)));
    expect(afterRemoval.breakouts!.groups.map((g) => [g.memberIds, g.speakerId])).toEqual([
      [[idOf(cy), idOf(dee)], idOf(cy)],
      [[idOf(eli)], idOf(eli)],
    ]);

    // Eli drops: still in the group during the grace, gone after it; the empty group is dropped.
    eli.close();
    const away = await host.waitFor((s) => s.participants.some((p) => p.id === idOf(eli) && !p.connected));
    expect(away.breakouts!.groups).toHaveLength(2);
    await clock.advance(GRACE_MS);
    const dropped = await host.waitFor((s) => s.breakouts!.groups.length === 1);
    expect(dropped.breakouts!.groups[0]!.memberIds).toEqual([idOf(cy), idOf(dee)]);

    // A newcomer stays in the main circle.
    const fay = await join(server.url, { circleId: circle.circleId, name: 'Fay' });
    await Promise.all([host, cy, dee, fay].map(roundTrip));
    expect(fay.latest().breakouts!.groups.flatMap((g) => g.memberIds)).not.toContain(idOf(fay));
    expect(fay.latest().breakouts!.groups).toEqual(dropped.breakouts!.groups);
    expect(await fay.send({ type: 'breakout.pass' })).toEqual(refusedWith('forbidden'));
  });

  it('a step in pairs (plan.go) opens groups in turns with its prompt and time, in one snapshot', async () => {
    const { server, clock } = await start();
    const { host, everyone } = await fourInACircle(server);
    const step = { title: 'Open sentences', stage: 'new-eyes', prompt: 'What I love about the world is…', mode: 'open', speakerTimeMs: null, durationMs: 60_000, grouping: 'pairs' } as const;
    expect(await host.send({ type: 'plan.set', steps: [step] })).toMatchObject({ ok: true });
    await Promise.all(everyone.map(roundTrip));
    const version = host.latest().version;
    expect(await host.send({ type: 'plan.go', index: 0 })).toEqual({ ok: true, version: version + 1 });
    for (const snapshots of await snapshotsAfter(everyone, version)) {
      expect(snapshots).toHaveLength(1);
      const s = snapshots[0]!;
      expect(s.breakouts).toMatchObject({ prompt: step.prompt, mode: 'turns', endsAt: clock.now() + 60_000, closingAt: null });
      expect(s.breakouts!.groups.map((g) => g.memberIds.length)).toEqual([2, 2]);
      expect(s.timer).toMatchObject({ running: true, endsAt: clock.now() + 60_000 });
    }
  });

  it('help (extension): a member calls the facilitator; their visit answers the call', async () => {
    const { server, clock } = await start();
    const { host, others, everyone } = await fourInACircle(server);
    const [bea, cy] = others as [Member, Member];
    await host.send({ type: 'breakout.open', size: 2, groups: [[idOf(bea), idOf(cy)]] });
    await clock.advance(500);
    expect(await cy.send({ type: 'breakout.help' })).toMatchObject({ ok: true });
    const called = await host.waitFor((s) => s.breakouts?.groups[0]?.helpAt != null);
    expect(called.breakouts!.groups[0]!.helpAt).toBe(clock.now());
    expect(await others[2]!.send({ type: 'breakout.help' })).toEqual(refusedWith('forbidden'));
    expect(await host.send({ type: 'breakout.visit', groupId: called.breakouts!.groups[0]!.id })).toMatchObject({ ok: true });
    await Promise.all(everyone.map(roundTrip));
    expect(breakoutsOf(bea).groups[0]!.helpAt).toBeNull();
  });

  it('breakouts with durationMs survive a restart (SQLite): the recall and the return still come', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiral-breakouts-'));
    dirs.push(dir);
    const clock = createFakeClock();
    const { server: first } = await start(clock, SqliteCircleStore.inDataDir(dir));
    const { circle, host } = await seatCircle(first.url, ['Bea', 'Cy']);
    const openedAt = clock.now();
    await host.send({ type: 'breakout.open', size: 2, durationMs: 10_000 });
    const opened = (await host.waitFor((s) => s.breakouts !== null)).breakouts;
    closeAllSockets();
    await first.close();
    servers.splice(servers.indexOf(first), 1);

    await clock.advance(5_000);
    const { server: second } = await start(clock, SqliteCircleStore.inDataDir(dir));
    expect((await second.app.service.state(circle.circleId))?.breakouts).toEqual(opened);
    const back = await join(second.url, { circleId: circle.circleId, sessionToken: host.welcome.sessionToken });
    await clock.advance(5_000);
    const recalled = await back.waitFor((s) => s.breakouts?.closingAt != null);
    expect(recalled.breakouts!.closingAt).toBe(openedAt + 40_000);
    await clock.advance(30_000);
    expect((await back.waitFor((s) => s.breakouts === null)).version).toBeGreaterThan(recalled.version);
  });
});
