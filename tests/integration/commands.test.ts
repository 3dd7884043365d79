import { FACILITATOR_COMMANDS, type CircleState } from '@spiral/shared';
import { STRIKES_BEFORE_CUT } from '@spiral/server';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { closeAllSockets, roundTrip, seatCircle, startServer, type Member, type TestServer } from '../support/harness.js';

let server: TestServer;
const logLines: string[] = [];
beforeAll(async () => {
  server = await startServer({ logLines });
});
afterAll(() => server.close());
afterEach(() => closeAllSockets());

const idOf = (m: Member) => m.welcome.participantId;

/** Send and expect every member to see the resulting version. */
async function sendAndSettle(actor: Member, everyone: Member[], command: Record<string, unknown>) {
  const ack = await actor.send(command);
  if (ack.ok && 'version' in ack) {
    await Promise.all(everyone.map((m) => m.waitFor((s) => s.version >= ack.version)));
  }
  return ack;
}

const SAMPLE_FOR: Record<string, Record<string, unknown>> = {
  'stage.advance': { type: 'stage.advance' },
  'stage.set': { type: 'stage.set', stage: 'new-eyes' },
  'piece.take': { type: 'piece.take' },
  'piece.mode': { type: 'piece.mode', mode: 'popcorn' },
  'timer.start': { type: 'timer.start', durationMs: 60_000 },
  'timer.pause': { type: 'timer.pause' },
  'timer.resume': { type: 'timer.resume' },
  'timer.reset': { type: 'timer.reset' },
  'participant.remove': { type: 'participant.remove', participantId: 'p_unknown' },
  'participants.remove': { type: 'participants.remove', participantIds: ['p_unknown'] },
  'circle.lock': { type: 'circle.lock', locked: true },
  'plan.set': { type: 'plan.set', steps: [] },
  'plan.go': { type: 'plan.go', index: 0 },
  'plan.next': { type: 'plan.next' },
  'bell.ring': { type: 'bell.ring', strikes: 1 },
  'silence.start': { type: 'silence.start' },
  'silence.end': { type: 'silence.end' },
  'timer.add': { type: 'timer.add', ms: 60_000 },
  'participant.role': { type: 'participant.role', participantId: 'p_unknown', role: 'facilitator' },
  // A valid list (every member once) is filled in from the circle: an invalid one is `invalid` first.
  'seats.order': { type: 'seats.order', participantIds: [] },
  'breakout.open': { type: 'breakout.open', size: 2 },
  'breakout.swap': { type: 'breakout.swap' },
  'breakout.broadcast': { type: 'breakout.broadcast', text: 'One more minute' },
  'breakout.visit': { type: 'breakout.visit', groupId: null },
  'breakout.close': { type: 'breakout.close' },
};

describe('commands over a real socket', () => {
  it('broadcasts every change to every member, with version rising by exactly one', async () => {
    const { host, others } = await seatCircle(server.url, ['Bea', 'Cy']);
    const everyone = [host, ...others];
    const before = host.latest().version;
    const ack = await sendAndSettle(host, everyone, { type: 'stage.advance' });
    expect(ack).toEqual({ ok: true, version: before + 1 });
    for (const m of everyone) expect(m.latest()).toMatchObject({ version: before + 1, stage: { key: 'honoring-pain', cycle: 1 } });
  });

  it('the full authorisation matrix: every facilitator-only command from a participant is forbidden and changes nothing', async () => {
    const { host, others } = await seatCircle(server.url, ['Bea']);
    const bea = others[0]!;
    const version = host.latest().version;
    for (const type of FACILITATOR_COMMANDS) {
      const sample = type === 'seats.order' ? { type, participantIds: host.latest().participants.map((p) => p.id) } : SAMPLE_FOR[type]!;
      const ack = await bea.send(sample);
      expect(ack, type).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    await roundTrip(host);
    expect(host.latest().version).toBe(version);
    expect(FACILITATOR_COMMANDS.size).toBe(Object.keys(SAMPLE_FOR).length);
  });

  it('round mode: passes go around the connected seats in order, skipping the away', async () => {
    const { host, others } = await seatCircle(server.url, ['Bea', 'Cy', 'Dee']);
    const [bea, cy, dee] = others as [Member, Member, Member];
    const everyone = [host, bea, cy, dee];
    await sendAndSettle(host, everyone, { type: 'piece.pass' });
    expect(host.latest().piece.holderId).toBe(idOf(host)); // lowest seat from the centre
    await sendAndSettle(host, everyone, { type: 'piece.pass' });
    expect(bea.latest().piece.holderId).toBe(idOf(bea));
    cy.close();
    await host.waitFor((s) => s.participants.some((p) => p.id === idOf(cy) && !p.connected));
    await sendAndSettle(bea, [host, bea, dee], { type: 'piece.pass' });
    expect(dee.latest().piece.holderId).toBe(idOf(dee));
    const ack = await dee.send({ type: 'piece.pass', to: idOf(cy) });
    expect(ack).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await bea.send({ type: 'piece.pass' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await sendAndSettle(dee, [host, bea, dee], { type: 'piece.release' });
    expect(host.latest().piece).toMatchObject({ holderId: null, since: null });
  });

  it('popcorn mode: the raised-hand queue decides, the same on every screen', async () => {
    const { host, others } = await seatCircle(server.url, ['Bea', 'Cy']);
    const [bea, cy] = others as [Member, Member];
    const everyone = [host, bea, cy];
    await sendAndSettle(host, everyone, { type: 'piece.mode', mode: 'popcorn' });
    await sendAndSettle(cy, everyone, { type: 'hand.raise' });
    await sendAndSettle(bea, everyone, { type: 'hand.raise' });
    expect(await cy.send({ type: 'hand.raise' })).toMatchObject({ ok: true }); // no duplicate
    for (const m of everyone) expect(m.latest().piece.queue).toEqual([idOf(cy), idOf(bea)]);
    await sendAndSettle(host, everyone, { type: 'piece.pass' });
    expect(bea.latest().piece).toMatchObject({ holderId: idOf(cy), queue: [idOf(bea)] });
    await sendAndSettle(cy, everyone, { type: 'piece.pass' });
    expect(host.latest().piece).toMatchObject({ holderId: idOf(bea), queue: [] });
    await sendAndSettle(bea, everyone, { type: 'piece.pass' });
    expect(cy.latest().piece).toMatchObject({ holderId: null, queue: [] });
  });

  it('open mode: no piece; pass, take and release are conflicts', async () => {
    const { host, others } = await seatCircle(server.url, ['Bea']);
    const everyone = [host, ...others];
    await sendAndSettle(host, everyone, { type: 'piece.take' });
    await sendAndSettle(host, everyone, { type: 'piece.mode', mode: 'open' });
    expect(host.latest().piece).toMatchObject({ mode: 'open', holderId: null });
    for (const type of ['piece.pass', 'piece.take', 'piece.release']) {
      expect(await host.send({ type })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    }
  });

  it('hands: raise, lower self, facilitator lowers anyone, participant may not lower others', async () => {
    const { host, others } = await seatCircle(server.url, ['Bea', 'Cy']);
    const [bea, cy] = others as [Member, Member];
    const everyone = [host, bea, cy];
    await sendAndSettle(bea, everyone, { type: 'hand.raise' });
    await sendAndSettle(cy, everyone, { type: 'hand.raise' });
    expect(await cy.send({ type: 'hand.lower', participantId: idOf(bea) })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await host.send({ type: 'hand.lower', participantId: 'p_nobody' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    await sendAndSettle(host, everyone, { type: 'hand.lower', participantId: idOf(bea) });
    await sendAndSettle(cy, everyone, { type: 'hand.lower' });
    expect(bea.latest().piece.queue).toEqual([]);
  });

  it('timers: start, pause, resume, reset with exact fields; conflicts when not possible', async () => {
    const { host, others } = await seatCircle(server.url, ['Bea']);
    const everyone = [host, ...others];
    expect(await host.send({ type: 'timer.pause' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const startedAt = Date.now();
    await sendAndSettle(host, everyone, { type: 'timer.start', durationMs: 300_000, label: ' Gratitude round ' });
    const running = others[0]!.latest().timer;
    expect(running).toMatchObject({ label: 'Gratitude round', durationMs: 300_000, running: true, remainingMs: 300_000 });
    expect(running.endsAt! - startedAt).toBeGreaterThan(299_000);
    expect(running.endsAt! - Date.now()).toBeLessThanOrEqual(300_000);
    expect(await host.send({ type: 'timer.resume' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await sendAndSettle(host, everyone, { type: 'timer.pause' });
    const paused = host.latest().timer;
    expect(paused).toMatchObject({ running: false, endsAt: null });
    expect(paused.remainingMs).toBeGreaterThan(290_000);
    expect(paused.remainingMs).toBeLessThanOrEqual(300_000);
    await sendAndSettle(host, everyone, { type: 'timer.resume' });
    expect(host.latest().timer).toMatchObject({ running: true, remainingMs: paused.remainingMs });
    await sendAndSettle(host, everyone, { type: 'timer.reset' });
    expect(others[0]!.latest().timer).toEqual({ label: 'Gratitude round', durationMs: 300_000, running: false, endsAt: null, remainingMs: 300_000 });
  });

  it('a command that changes nothing is acked with the current version and sends no snapshot', async () => {
    const { host, others } = await seatCircle(server.url, ['Bea']);
    const bea = others[0]!;
    await sendAndSettle(host, [host, bea], { type: 'circle.lock', locked: true });
    const version = host.latest().version;
    const counts = [host.states.length, bea.states.length];
    for (const command of [
      { type: 'circle.lock', locked: true },
      { type: 'stage.set', stage: 'gratitude' },
      { type: 'timer.reset' },
    ]) {
      expect(await host.send(command)).toEqual({ ok: true, version });
    }
    await sendAndSettle(bea, [host, bea], { type: 'hand.raise' });
    const afterRaise = host.latest().version;
    expect(await bea.send({ type: 'hand.raise' })).toEqual({ ok: true, version: afterRaise });
    await roundTrip(host);
    await roundTrip(bea);
    expect([host.states.length, bea.states.length]).toEqual([counts[0]! + 1, counts[1]! + 1]);
  });

  it('name.set renames only the sender; participant.remove of oneself is a conflict', async () => {
    const { host, others } = await seatCircle(server.url, ['Bea']);
    const bea = others[0]!;
    await sendAndSettle(bea, [host, bea], { type: 'name.set', name: '  Council voice: River  ' });
    expect(host.latest().participants.find((p) => p.id === idOf(bea))?.name).toBe('Council voice: River');
    expect(await host.send({ type: 'participant.remove', participantId: idOf(host) })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it.each([
    ['null', null],
    ['a string', 'stage.advance'],
    ['an array', [{ type: 'stage.advance' }]],
    ['no type', { stage: 'gratitude' }],
    ['an unknown type', { type: 'stage.explode' }],
    ['a type that is not a string', { type: 7 }],
    ['a bad stage', { type: 'stage.set', stage: 'despair' }],
    ['a bad mode', { type: 'piece.mode', mode: 'shout' }],
    ['a duration under 1 s', { type: 'timer.start', durationMs: 999 }],
    ['a duration over 4 h', { type: 'timer.start', durationMs: 14_400_001 }],
    ['a fractional duration', { type: 'timer.start', durationMs: 60_000.5 }],
    ['a duration as a string', { type: 'timer.start', durationMs: '60000' }],
    ['a label over 120 characters', { type: 'timer.start', durationMs: 60_000, label: 'x'.repeat(121) }],
    ['an empty name', { type: 'name.set', name: '  ' }],
    ['a name over 60 characters', { type: 'name.set', name: 'x'.repeat(61) }],
    ['a lock that is not a boolean', { type: 'circle.lock', locked: 'yes' }],
    ['a remove without an id', { type: 'participant.remove' }],
    ['a pass to a number', { type: 'piece.pass', to: 5 }],
  ])('a malformed command (%s) is invalid and changes nothing', async (_label, payload) => {
    const { host } = await seatCircle(server.url, []);
    const before: CircleState = host.latest();
    const ack = await new Promise((resolve) => host.socket.emit('circle:command', payload as never, resolve));
    expect(ack).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect((ack as { error: { message: string } }).error.message.length).toBeGreaterThan(5);
    await roundTrip(host);
    expect(host.latest()).toEqual(before);
  });

  it('survives a command without an ack callback, and one with garbage arguments', async () => {
    const { host } = await seatCircle(server.url, []);
    host.socket.emit('circle:command', { type: 'stage.advance' } as never, undefined as never);
    (host.socket as unknown as { emit: (...args: unknown[]) => void }).emit('clock:sync', 'not a function');
    (host.socket as unknown as { emit: (...args: unknown[]) => void }).emit('unknown:event', { a: 1 });
    await host.waitFor((s) => s.stage.key === 'honoring-pain');
    expect(await host.send({ type: 'stage.advance' })).toMatchObject({ ok: true });
  });

  it('a message over 128 KB closes only that connection; the circle is untouched', async () => {
    const { host, others } = await seatCircle(server.url, ['Bea']);
    const bea = others[0]!;
    const version = host.latest().version;
    const closed = new Promise<void>((resolve) => bea.socket.once('disconnect', () => resolve()));
    bea.socket.emit('circle:command', { type: 'name.set', name: 'x'.repeat(140_000) } as never, () => {});
    await closed;
    await host.waitFor((s) => s.participants.some((p) => p.id === idOf(bea) && !p.connected));
    const latest = host.latest();
    expect(latest.version).toBe(version + 1); // only the departure
    expect(latest.participants.find((p) => p.id === idOf(bea))?.name).toBe('Bea');
  });

  it('rate limit: 55 commands at once from one connection: 30 pass, the rest see rate_limited; another connection does not notice', async () => {
    const own = await startServer();
    onTestFinished(() => own.close());
    const { host, others } = await seatCircle(own.url, ['Bea']);
    const bea = others[0]!;
    const acks = await Promise.all(Array.from({ length: 55 }, () => bea.send({ type: 'hand.raise' })));
    const limited = acks.filter((a) => !a.ok && a.error.code === 'rate_limited');
    expect(limited.length).toBeGreaterThanOrEqual(20);
    expect(acks.slice(0, 30).every((a) => a.ok)).toBe(true);
    expect(bea.socket.connected).toBe(true);
    const hostAcks = await Promise.all(Array.from({ length: 30 }, () => host.send({ type: 'hand.raise' })));
    expect(hostAcks.every((a) => a.ok)).toBe(true);
  });

  it(`a connection that keeps sending what is refused as too fast is cut after ${STRIKES_BEFORE_CUT} refusals from its address; another does not notice`, async () => {
    // A server of its own: the strikes this spends on 127.0.0.1 must not reach the other tests.
    const own = await startServer();
    onTestFinished(() => own.close());
    const { host, others } = await seatCircle(own.url, ['Bea']);
    const bea = others[0]!;
    const gone = new Promise<string>((resolve) => bea.socket.once('disconnect', resolve));
    for (let i = 0; i < 300; i++) bea.socket.emit('circle:command', { type: 'hand.raise' }, () => {});
    expect(await gone).toBe('io server disconnect');
    // The host (same address, but no refusal of its own) keeps its connection.
    await roundTrip(host);
    expect(host.socket.connected).toBe(true);
  });

  it('clock:sync answers the server time', async () => {
    const { host } = await seatCircle(server.url, []);
    const before = Date.now();
    const serverTime = await roundTrip(host);
    expect(serverTime).toBeGreaterThanOrEqual(before - 5);
    expect(serverTime).toBeLessThanOrEqual(Date.now() + 5);
  });

  it('never puts a key or token in a snapshot, a summary or a log line', async () => {
    const { circle, host, others } = await seatCircle(server.url, ['Bea']);
    await host.send({ type: 'stage.advance' });
    const secrets = [circle.facilitatorKey, host.welcome.sessionToken, others[0]!.welcome.sessionToken];
    const summary = await (await fetch(`${server.url}/api/circles/${circle.circleId}`)).text();
    const everything = [JSON.stringify(host.states), JSON.stringify(others[0]!.states), summary, logLines.join('\n')];
    expect(logLines.length).toBeGreaterThan(3);
    for (const secret of secrets) for (const text of everything) expect(text).not.toContain(secret);
    expect(Object.keys(host.latest()).sort()).toEqual(
      [
        ...['agreements', 'id', 'locked', 'participants', 'piece', 'settings', 'stage', 'template', 'timer', 'title', 'version'],
        ...['plan', 'bell', 'silence', 'breakouts', 'question', 'intentions'],
        ...['gathering', 'activeAt'],
      ].sort(),
    );
  });
});
