/**
 * v1.1 (first half) over real sockets: the session plan, bells, silence (ending by itself on the fake
 * clock, and after a restart), gestures, seat order, co-facilitators, timer.add, passes with `from`,
 * the circle's question and shared intentions.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFakeClock, SqliteCircleStore, type FakeClock } from '@spiral/server';
import type { CircleState, Gesture } from '@spiral/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAllSockets, createCircle, join, roundTrip, seatCircle, startServer, type Member, type TestServer } from '../support/harness.js';

const servers: TestServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  closeAllSockets();
  await Promise.all(servers.splice(0).map((s) => s.close()));
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

async function start(clock: FakeClock = createFakeClock(), store?: SqliteCircleStore) {
  const server = await startServer({ clock, store });
  servers.push(server);
  return { server, clock };
}

const idOf = (m: Member) => m.welcome.participantId;

/** After a round trip on every member: the snapshots each received newer than `version`. */
async function snapshotsAfter(everyone: Member[], version: number): Promise<CircleState[][]> {
  await Promise.all(everyone.map(roundTrip));
  return everyone.map((m) => m.states.filter((s) => s.version > version));
}

/** `circle:gesture` events as this member receives them. */
function recordGestures(member: Member): Gesture[] {
  const seen: Gesture[] = [];
  member.socket.on('circle:gesture', (g) => seen.push(g));
  return seen;
}

describe('the session plan over real sockets', () => {
  it('walks the café plan step by step with plan.next: one snapshot per step, version + 1, then conflict', async () => {
    const { server, clock } = await start();
    const { host, others } = await seatCircle(server.url, ['Bea', 'Cy'], { title: 'Café', template: 'conversation-cafe', question: 'What is enough?' });
    const everyone = [host, ...others];
    const { steps } = host.latest().plan;
    expect(steps.length).toBeGreaterThanOrEqual(5);
    expect(host.latest().plan.current).toBeNull();
    expect(host.latest().question).toBe('What is enough?');

    for (let index = 0; index < steps.length; index++) {
      const step = steps[index]!;
      const version = host.latest().version;
      await clock.advance(1_000);
      const ack = await host.send({ type: 'plan.next' });
      expect(ack).toEqual({ ok: true, version: version + 1 });
      const received = await snapshotsAfter(everyone, version);
      for (const snapshots of received) {
        expect(snapshots.map((s) => s.version)).toEqual([version + 1]);
        const [s] = snapshots as [CircleState];
        expect(s.plan.current).toBe(index);
        expect(s.stage.key).toBe(step.stage);
        expect(s.piece.mode).toBe(step.mode);
        if (step.speakerTimeMs !== null) expect(s.settings.speakerTimeMs).toBe(step.speakerTimeMs);
        if (step.durationMs === null) expect(s.timer.running).toBe(false);
        else expect(s.timer).toEqual({ label: step.title, durationMs: step.durationMs, running: true, endsAt: clock.now() + step.durationMs, remainingMs: step.durationMs });
        expect(s.plan.history.at(-1)).toEqual({ stepId: step.id, title: step.title, startedAt: clock.now() });
      }
    }
    expect(host.latest().plan.history.map((h) => h.stepId)).toEqual(steps.map((s) => s.id));

    const version = host.latest().version;
    expect(await host.send({ type: 'plan.next' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await others[0]!.send({ type: 'plan.next' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await host.send({ type: 'plan.go', index: steps.length })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((await snapshotsAfter(everyone, version)).flat()).toEqual([]);
  });

  it('plan.set replaces the plan, keeps known ids and re-points current; a bad step is invalid', async () => {
    const { server } = await start();
    const { host, others } = await seatCircle(server.url, ['Bea']);
    await host.send({ type: 'plan.go', index: 1 });
    const current = host.latest().plan.steps[1]!;
    const step = { title: 'Pairs', stage: 'new-eyes', prompt: '', mode: 'round', speakerTimeMs: null, durationMs: 600_000, grouping: 'pairs' };
    const ack = await host.send({ type: 'plan.set', steps: [step, { ...current, colour: 'blue' }] } as Record<string, unknown>);
    expect(ack).toMatchObject({ ok: true });
    const after = await others[0]!.waitFor((s) => s.plan.steps.length === 2);
    expect(after.plan.current).toBe(1);
    expect(after.plan.steps[1]).toEqual(current);
    expect(after.plan.steps[0]?.id).not.toBe(current.id);

    const version = host.latest().version;
    for (const bad of [
      { type: 'plan.set', steps: [{ ...step, durationMs: 5_000 }] }, // pairs: 10 s..60 min
      { type: 'plan.set', steps: [{ ...step, id: 'x' }, { ...step, id: 'x' }] },
      { type: 'plan.set', steps: [{ ...step, grouping: undefined }] },
    ]) {
      expect(await host.send(bad)).toMatchObject({ ok: false, error: { code: 'invalid' } });
    }
    expect((await snapshotsAfter([host], version)).flat()).toEqual([]);
  });
  it('the largest plan.set the protocol allows (40 steps, full-length texts in any script) goes through', async () => {
    const { server } = await start();
    const { host, others } = await seatCircle(server.url, ['Bea']);
    const existing = host.latest().plan.steps[0]!.id;
    const steps = Array.from({ length: 40 }, (_, i) => ({
      ...(i === 0 ? { id: existing } : {}),
      title: '語'.repeat(120),
      stage: 'honoring-pain',
      prompt: '語'.repeat(500),
      mode: 'popcorn',
      speakerTimeMs: 1_800_000,
      durationMs: 3_600_000,
      grouping: 'triads',
    }));
    expect(Buffer.byteLength(JSON.stringify({ type: 'plan.set', steps }))).toBeGreaterThan(64 * 1024);
    const closed = new Promise<string>((resolve) => host.socket.once('disconnect', (reason) => resolve(`disconnected: ${reason}`)));
    expect(await Promise.race([host.send({ type: 'plan.set', steps } as Record<string, unknown>), closed])).toMatchObject({ ok: true });
    const after = await others[0]!.waitFor((s) => s.plan.steps.length === 40);
    expect(after.plan.steps[39]?.prompt).toBe('語'.repeat(500));
    expect(host.socket.connected).toBe(true);
  });
});

describe('bells and silence', () => {
  it('a bell is seen by everyone: id + 1, strikes, at = now + 300', async () => {
    const { server, clock } = await start();
    const { host, others } = await seatCircle(server.url, ['Bea', 'Cy']);
    const everyone = [host, ...others];
    expect(await host.send({ type: 'bell.ring', strikes: 2 })).toMatchObject({ ok: true });
    await host.send({ type: 'bell.ring' });
    const version = host.latest().version;
    await Promise.all(everyone.map((m) => m.waitFor((s) => s.version === version)));
    for (const m of everyone) expect(m.latest().bell).toEqual({ id: 2, strikes: 1, at: clock.now() + 300 });
    expect(host.states.find((s) => s.bell?.id === 1)?.bell).toEqual({ id: 1, strikes: 2, at: clock.now() + 300 });
    expect(await others[0]!.send({ type: 'bell.ring' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('silence.start and silence.end: everyone sees it; the end rings one bell; no silence is conflict', async () => {
    const { server, clock } = await start();
    const { host, others } = await seatCircle(server.url, ['Bea']);
    const bea = others[0]!;
    expect(await host.send({ type: 'silence.end' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await host.send({ type: 'silence.start' })).toMatchObject({ ok: true });
    expect((await bea.waitFor((s) => s.silence !== null)).silence).toEqual({ since: clock.now(), endsAt: null });
    await clock.advance(60_000);
    await roundTrip(bea);
    expect(bea.latest().silence).not.toBeNull();
    const version = host.latest().version;
    expect(await host.send({ type: 'silence.end' })).toEqual({ ok: true, version: version + 1 });
    const ended = await bea.waitFor((s) => s.version === version + 1);
    expect(ended.silence).toBeNull();
    expect(ended.bell).toEqual({ id: 1, strikes: 1, at: clock.now() + 300 });
  });

  it('a silence with durationMs ends by itself at endsAt, with a bell, as one change', async () => {
    const { server, clock } = await start();
    const { host, others } = await seatCircle(server.url, ['Bea']);
    const bea = others[0]!;
    const startedAt = clock.now();
    await host.send({ type: 'silence.start', durationMs: 5_000 });
    expect((await bea.waitFor((s) => s.silence !== null)).silence).toEqual({ since: startedAt, endsAt: startedAt + 5_000 });
    const version = bea.latest().version;
    await clock.advance(4_999);
    await roundTrip(bea);
    expect(bea.latest().version).toBe(version);
    await clock.advance(1);
    const ended = await bea.waitFor((s) => s.silence === null);
    expect(ended.version).toBe(version + 1);
    expect(ended.bell).toEqual({ id: 1, strikes: 1, at: startedAt + 5_000 + 300 });
    expect(await host.send({ type: 'silence.end' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('a replaced silence is not ended by the first one’s wake-up', async () => {
    const { server, clock } = await start();
    const { host } = await seatCircle(server.url, []);
    await host.send({ type: 'silence.start', durationMs: 5_000 });
    await clock.advance(2_000);
    await host.send({ type: 'silence.start', durationMs: 60_000 });
    await clock.advance(10_000);
    await roundTrip(host);
    expect(host.latest().silence).toMatchObject({ endsAt: expect.any(Number) });
    await clock.advance(50_000);
    await host.waitFor((s) => s.silence === null);
  });

  it('a silence with durationMs survives a restart (SQLite) and still ends', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiral-v11-'));
    dirs.push(dir);
    const clock = createFakeClock();
    const { server: first } = await start(clock, SqliteCircleStore.inDataDir(dir));
    const { circle, host } = await seatCircle(first.url, []);
    await host.send({ type: 'silence.start', durationMs: 30_000 });
    const silence = (await host.waitFor((s) => s.silence !== null)).silence;
    closeAllSockets();
    await first.close();
    servers.splice(servers.indexOf(first), 1);

    await clock.advance(10_000);
    const { server: second } = await start(clock, SqliteCircleStore.inDataDir(dir));
    expect((await second.app.service.state(circle.circleId))?.silence).toEqual(silence);
    const back = await join(second.url, { circleId: circle.circleId, sessionToken: host.welcome.sessionToken });
    await clock.advance(20_000);
    const ended = await back.waitFor((s) => s.silence === null);
    expect(ended.bell).toMatchObject({ id: 1, strikes: 1 });
  });
});

describe('gestures', () => {
  it('every member receives circle:gesture {from, kind, at}; the ack is the current version; no snapshot', async () => {
    const { server, clock } = await start();
    const { host, others } = await seatCircle(server.url, ['Bea', 'Cy']);
    const everyone = [host, ...others];
    const seen = everyone.map(recordGestures);
    const bea = others[0]!;
    const version = host.latest().version;
    expect(await bea.send({ type: 'gesture.send', kind: 'heart' })).toEqual({ ok: true, version });
    for (const list of seen) await expect.poll(() => list.length).toBe(1);
    for (const list of seen) expect(list).toEqual([{ from: idOf(bea), kind: 'heart', at: clock.now() }]);
    expect((await snapshotsAfter(everyone, version)).flat()).toEqual([]);
  });

  it('a second gesture within a second is rate_limited; another member is not slowed', async () => {
    const { server } = await start();
    const { host, others } = await seatCircle(server.url, ['Bea']);
    const seen = recordGestures(host);
    const bea = others[0]!;
    expect(await bea.send({ type: 'gesture.send', kind: 'hear' })).toMatchObject({ ok: true });
    expect(await bea.send({ type: 'gesture.send', kind: 'thanks' })).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect(await host.send({ type: 'gesture.send', kind: 'thanks' })).toMatchObject({ ok: true });
    // Other commands are not limited by it.
    expect(await bea.send({ type: 'hand.raise' })).toMatchObject({ ok: true });
    await roundTrip(host);
    expect(seen.map((g) => [g.from, g.kind])).toEqual([
      [idOf(bea), 'hear'],
      [idOf(host), 'thanks'],
    ]);
    expect(await bea.send({ type: 'gesture.send', kind: 'wave' } as Record<string, unknown>)).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });
});

describe('seats, roles, the timer, the piece', () => {
  it('seats.order: seats 0, 1, 2… for everyone; a list missing someone is invalid, even from a participant', async () => {
    const { server } = await start();
    const { host, others } = await seatCircle(server.url, ['Bea', 'Cy']);
    const [bea, cy] = others as [Member, Member];
    const order = [idOf(cy), idOf(host), idOf(bea)];
    expect(await bea.send({ type: 'seats.order', participantIds: [idOf(bea)] })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await bea.send({ type: 'seats.order', participantIds: order })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await host.send({ type: 'seats.order', participantIds: [...order, idOf(cy)] })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await host.send({ type: 'seats.order', participantIds: order })).toMatchObject({ ok: true });
    const seated = await cy.waitFor((s) => s.participants.every((p) => p.seat === order.indexOf(p.id)));
    expect(seated.participants.map((p) => p.seat).sort()).toEqual([0, 1, 2]);
    // The round follows the new seats: from the centre, the lowest seat.
    await host.send({ type: 'piece.pass' });
    expect((await bea.waitFor((s) => s.piece.holderId !== null)).piece.holderId).toBe(idOf(cy));
  });

  it('participant.role: a co-facilitator may facilitate; the last facilitator cannot step down', async () => {
    const { server } = await start();
    const { host, others } = await seatCircle(server.url, ['Bea']);
    const bea = others[0]!;
    expect(await bea.send({ type: 'stage.advance' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await host.send({ type: 'participant.role', participantId: 'p_nobody', role: 'facilitator' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await host.send({ type: 'participant.role', participantId: idOf(host), role: 'participant' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await host.send({ type: 'participant.role', participantId: idOf(bea), role: 'facilitator' })).toMatchObject({ ok: true });
    expect(await bea.send({ type: 'stage.advance' })).toMatchObject({ ok: true });
    expect(await host.send({ type: 'participant.role', participantId: idOf(host), role: 'participant' })).toMatchObject({ ok: true });
    const roles = await bea.waitFor((s) => s.participants.find((p) => p.id === idOf(host))?.role === 'participant');
    expect(roles.participants.find((p) => p.id === idOf(bea))?.role).toBe('facilitator');
    expect(await bea.send({ type: 'participant.role', participantId: idOf(bea), role: 'participant' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await host.send({ type: 'stage.advance' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('timer.add: a running timer ends later, and finishes then, not at the old time; idle is conflict', async () => {
    const { server, clock } = await start();
    const { host } = await seatCircle(server.url, []);
    expect(await host.send({ type: 'timer.add', ms: 60_000 })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await host.send({ type: 'timer.start', durationMs: 60_000 });
    const endsAt = clock.now() + 60_000;
    expect(await host.send({ type: 'timer.add', ms: 60_000 })).toMatchObject({ ok: true });
    expect((await host.waitFor((s) => s.timer.endsAt === endsAt + 60_000)).timer.running).toBe(true);
    await clock.advance(60_000);
    await roundTrip(host);
    expect(host.latest().timer.running).toBe(true);
    await clock.advance(60_000);
    expect((await host.waitFor((s) => !s.timer.running)).timer.remainingMs).toBe(0);
    expect(await host.send({ type: 'timer.add', ms: 60_000 })).toMatchObject({ ok: false, error: { code: 'conflict' } });

    await host.send({ type: 'timer.start', durationMs: 60_000 });
    await clock.advance(10_000);
    await host.send({ type: 'timer.pause' });
    expect(await host.send({ type: 'timer.add', ms: -600_000 })).toMatchObject({ ok: true });
    expect((await host.waitFor((s) => s.timer.remainingMs === 1_000)).timer.running).toBe(false);
  });

  it('two passes with the same from at once: exactly one is accepted, nobody is skipped', async () => {
    const { server } = await start();
    const { host, others } = await seatCircle(server.url, ['Bea', 'Cy', 'Dee']);
    const [bea, cy] = others as [Member, Member, Member];
    await host.send({ type: 'piece.pass', to: idOf(bea) });
    await bea.waitFor((s) => s.piece.holderId === idOf(bea));
    const version = host.latest().version;
    const acks = await Promise.all([bea.send({ type: 'piece.pass', from: idOf(bea) }), host.send({ type: 'piece.pass', from: idOf(bea) })]);
    expect(acks.filter((a) => a.ok)).toEqual([{ ok: true, version: version + 1 }]);
    expect(acks.filter((a) => !a.ok)).toMatchObject([{ ok: false, error: { code: 'conflict' } }]);
    const received = await snapshotsAfter([host, ...others], version);
    for (const snapshots of received) expect(snapshots.map((s) => [s.version, s.piece.holderId])).toEqual([[version + 1, idOf(cy)]]);
  });
});

describe('the question and intentions (extensions)', () => {
  it('POST takes a question (0..300, trimmed); the summary shows it (null without) and the template', async () => {
    const { server } = await start();
    const created = await createCircle(server.url, { title: 'Café', template: 'conversation-cafe', question: '  What is enough?  ' });
    const summary = await (await fetch(`${server.url}/api/circles/${created.circleId}`)).json();
    expect(summary).toEqual({ circleId: created.circleId, title: 'Café', stage: 'gratitude', participantCount: 0, locked: false, question: 'What is enough?', template: 'conversation-cafe',
      startsAt: null, durationMin: null, description: null, timeZone: null, listed: false });
    const host = await join(server.url, { circleId: created.circleId, name: 'Host', facilitatorKey: created.facilitatorKey });
    expect(host.latest().question).toBe('What is enough?');

    const plain = await createCircle(server.url, { title: 'Plain' });
    expect(await (await fetch(`${server.url}/api/circles/${plain.circleId}`)).json()).toMatchObject({ question: null, template: 'wtr-spiral' });
    const empty = await createCircle(server.url, { title: 'Empty', question: '   ' });
    expect(await (await fetch(`${server.url}/api/circles/${empty.circleId}`)).json()).toMatchObject({ question: null });

    for (const question of ['x'.repeat(301), 42]) {
      const res = await fetch(`${server.url}/api/circles`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'T', question }) });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'invalid', message: expect.any(String) } });
    }
    const longest = await createCircle(server.url, { title: 'Long', question: 'x'.repeat(300) });
    expect(await (await fetch(`${server.url}/api/circles/${longest.circleId}`)).json()).toMatchObject({ question: 'x'.repeat(300) });
  });

  it('intentions: shared with everyone, replaced, withdrawn, and gone with a removed member', async () => {
    const { server, clock } = await start();
    const { host, others } = await seatCircle(server.url, ['Bea', 'Cy']);
    const [bea, cy] = others as [Member, Member];
    expect(await bea.send({ type: 'intention.share', text: 'Plant a hedge' })).toMatchObject({ ok: true });
    expect((await cy.waitFor((s) => s.intentions.length === 1)).intentions).toEqual([{ participantId: idOf(bea), text: 'Plant a hedge', at: clock.now() }]);
    await bea.send({ type: 'intention.share', text: 'Plant two hedges' });
    await cy.send({ type: 'intention.share', text: 'Call my sister' });
    const both = await host.waitFor((s) => s.intentions.length === 2);
    expect(both.intentions.map((i) => [i.participantId, i.text])).toEqual([
      [idOf(bea), 'Plant two hedges'],
      [idOf(cy), 'Call my sister'],
    ]);
    await cy.send({ type: 'intention.withdraw' });
    await host.waitFor((s) => s.intentions.length === 1);
    await host.send({ type: 'participant.remove', participantId: idOf(bea) });
    expect((await host.waitFor((s) => !s.participants.some((p) => p.id === idOf(bea)))).intentions).toEqual([]);
    expect(await cy.send({ type: 'intention.share', text: '' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });
});
