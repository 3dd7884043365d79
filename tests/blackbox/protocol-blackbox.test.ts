/**
 * A black-box client that speaks only PROTOCOL.md against the built server process
 * (`pnpm build`, then `PORT=… DATA_DIR=… node server/dist/main.js`), including a kill -9 and restart.
 */
import { describe, expect, it } from 'vitest';
import { closeAllSockets, createCircle, join, joinError, roundTrip, type Member } from '../support/harness.js';
import { useBlackboxServer } from '../support/blackbox-server.js';
import { startServerProcess } from '../support/server-process.js';

const blackbox = useBlackboxServer('blackbox');

const idOf = (m: Member) => m.welcome.participantId;

describe('black box: the built server process', () => {
  it('serves the client at / and at /c/:circleId, and the API beside it', async () => {
    const home = await fetch(`${blackbox.current.url}/`);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toContain('text/html');
    expect(await home.text()).toContain('<div id="root">');
    const { circleId } = await createCircle(blackbox.current.url);
    const page = await fetch(`${blackbox.current.url}/c/${circleId}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
  });

  it('runs a circle, survives kill -9 and a restart, and members resume their seats', async () => {
    const circle = await createCircle(blackbox.current.url, { title: 'Council of All Beings', template: 'conversation-cafe' });
    const host = await join(blackbox.current.url, { circleId: circle.circleId, name: 'Joanna', facilitatorKey: circle.facilitatorKey });
    const bea = await join(blackbox.current.url, { circleId: circle.circleId, name: 'Bea' });
    const cy = await join(blackbox.current.url, { circleId: circle.circleId, name: 'Cy' });
    expect(host.latest().agreements).toHaveLength(6);
    expect(await host.send({ type: 'stage.advance' })).toMatchObject({ ok: true });
    expect(await host.send({ type: 'piece.pass' })).toMatchObject({ ok: true });
    expect(await host.send({ type: 'piece.pass' })).toMatchObject({ ok: true });
    expect(await cy.send({ type: 'hand.raise' })).toMatchObject({ ok: true });
    const timerAck = await host.send({ type: 'timer.start', durationMs: 600_000, label: 'Round one' });
    expect(timerAck).toMatchObject({ ok: true });
    const before = await bea.waitFor((s) => s.timer.running);
    expect(before.piece.holderId).toBe(idOf(bea));
    expect(await bea.send({ type: 'stage.advance' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    closeAllSockets();
    await blackbox.killAndRestart();

    const summary = (await (await fetch(`${blackbox.current.url}/api/circles/${circle.circleId}`)).json()) as Record<string, unknown>;
    expect(summary).toEqual({ circleId: circle.circleId, title: 'Council of All Beings', stage: 'honoring-pain', participantCount: 0, locked: false, question: null, template: 'conversation-cafe',
      startsAt: null, durationMin: null, description: null, timeZone: null, listed: false });

    const beaBack = await join(blackbox.current.url, { circleId: circle.circleId, sessionToken: bea.welcome.sessionToken });
    expect(beaBack.welcome).toMatchObject({ participantId: idOf(bea), sessionToken: bea.welcome.sessionToken });
    const after = beaBack.latest();
    expect(after.version).toBeGreaterThan(before.version);
    expect(after.timer.endsAt).toBe(before.timer.endsAt);
    expect(after.timer).toEqual(before.timer);
    expect(after.stage).toEqual(before.stage);
    expect(after.piece).toMatchObject({ holderId: idOf(bea), queue: [idOf(cy)] });
    expect(after.participants.map((p) => [p.id, p.seat, p.role])).toEqual(before.participants.map((p) => [p.id, p.seat, p.role]));

    const hostBack = await join(blackbox.current.url, { circleId: circle.circleId, sessionToken: host.welcome.sessionToken });
    const version = hostBack.latest().version;
    expect(await hostBack.send({ type: 'stage.advance' })).toEqual({ ok: true, version: version + 1 });
    await roundTrip(beaBack);
    expect(beaBack.latest()).toMatchObject({ version: version + 1, stage: { key: 'new-eyes' } });
    expect(await joinError(blackbox.current.url, { circleId: circle.circleId, name: 'X', facilitatorKey: 'nope' })).toBe('bad_key');
  });

  it('exits with a clear message on a bad configuration value', async () => {
    await expect(startServerProcess({ DATA_DIR: blackbox.dataDir, STORE: 'postgres' })).rejects.toThrow(/STORE/);
    await expect(startServerProcess({ DATA_DIR: blackbox.dataDir, HOLDER_GRACE_MS: 'soon' })).rejects.toThrow(/HOLDER_GRACE_MS/);
  });

  it('never writes a key or token to its log', async () => {
    const circle = await createCircle(blackbox.current.url);
    const m = await join(blackbox.current.url, { circleId: circle.circleId, name: 'Logger', facilitatorKey: circle.facilitatorKey });
    await m.send({ type: 'stage.advance' });
    const log = blackbox.log();
    expect(log).toContain('member joined');
    expect(log).not.toContain(circle.facilitatorKey);
    expect(log).not.toContain(m.welcome.sessionToken);
  });
});
