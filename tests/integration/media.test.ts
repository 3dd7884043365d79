import { createLogger, FakeLiveKitServer, LiveKitMediaProvider, mediaRoomName } from '@spiral/server';
import { TokenVerifier } from 'livekit-server-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeAllSockets, seatCircle, startServer, type Member, type TestServer } from '../support/harness.js';

const KEY = 'devkey';
const SECRET = 'integration-secret-long-enough-for-hs256!';
let fake: FakeLiveKitServer;
let server: TestServer;
const logLines: string[] = [];

beforeAll(async () => {
  fake = new FakeLiveKitServer(KEY, SECRET);
  const url = await fake.start();
  const logger = createLogger('silent');
  server = await startServer({
    logLines,
    media: new LiveKitMediaProvider({ url, apiKey: KEY, apiSecret: SECRET, retry: { minTimeoutMs: 5, retries: 4 } }, logger),
    config: { livekit: { url, apiKey: KEY, apiSecret: SECRET } },
  });
});
afterAll(async () => {
  await server.close();
  await fake.stop();
});
afterEach(() => {
  closeAllSockets();
  fake.calls.length = 0;
  fake.failNext = 0;
});

const idOf = (m: Member) => m.welcome.participantId;
const verifier = new TokenVerifier(KEY, SECRET);

async function mediaToken(m: Member) {
  const ack = await m.send({ type: 'media.join' });
  if (!ack.ok || !('token' in ack)) throw new Error(`media.join refused: ${JSON.stringify(ack)}`);
  return { url: ack.url, claims: await verifier.verify(ack.token) };
}

describe('the talking piece drives LiveKit', () => {
  it('media.join gives each member a token whose grants follow who may speak', async () => {
    const { circle, host, others } = await seatCircle(server.url, ['Bea', 'Cy']);
    const [bea, cy] = others as [Member, Member];
    await host.send({ type: 'piece.pass', to: idOf(bea) });
    const forBea = await mediaToken(bea);
    expect(forBea.url).toBe(fake.url);
    expect(forBea.claims.sub).toBe(idOf(bea));
    expect(forBea.claims.video).toMatchObject({ room: mediaRoomName(circle.circleId), canPublishSources: ['camera', 'microphone'], canPublishData: false });
    expect((await mediaToken(cy)).claims.video?.canPublishSources).toEqual(['camera']);
    expect((await mediaToken(host)).claims.video?.canPublishSources).toContain('screen_share');
  });

  it('passing the piece around makes exactly the right UpdateParticipant calls', async () => {
    const { host, others } = await seatCircle(server.url, ['Bea', 'Cy', 'Dee']);
    const [bea, cy, dee] = others as [Member, Member, Member];
    const expectCalls = async (expected: Record<string, string[]>) => {
      await expect.poll(() => fake.updates().length).toBe(Object.keys(expected).length);
      expect(Object.fromEntries(fake.updates().map((u) => [u.identity, u.sources]))).toEqual(expected);
      fake.calls.length = 0;
    };
    await host.send({ type: 'piece.pass', to: idOf(bea) });
    await expectCalls({ [idOf(bea)]: ['CAMERA', 'MICROPHONE'] });
    await bea.send({ type: 'piece.pass' });
    await expectCalls({ [idOf(bea)]: ['CAMERA'], [idOf(cy)]: ['CAMERA', 'MICROPHONE'] });
    await cy.send({ type: 'piece.pass' });
    await expectCalls({ [idOf(cy)]: ['CAMERA'], [idOf(dee)]: ['CAMERA', 'MICROPHONE'] });
    await dee.send({ type: 'piece.release' });
    await expectCalls({ [idOf(dee)]: ['CAMERA'] });
    // The facilitator taking the piece changes nobody's right (facilitators may already speak).
    await host.send({ type: 'piece.take' });
    await host.send({ type: 'hand.raise' });
    await host.send({ type: 'piece.mode', mode: 'open' });
    await expectCalls({ [idOf(bea)]: ['CAMERA', 'MICROPHONE'], [idOf(cy)]: ['CAMERA', 'MICROPHONE'], [idOf(dee)]: ['CAMERA', 'MICROPHONE'] });
    await host.send({ type: 'piece.mode', mode: 'round' });
    await expectCalls({ [idOf(bea)]: ['CAMERA'], [idOf(cy)]: ['CAMERA'], [idOf(dee)]: ['CAMERA'] });
  });

  it('a failing LiveKit never blocks or fails a command; the update lands after retries', async () => {
    const { host, others } = await seatCircle(server.url, ['Bea']);
    fake.failNext = 3;
    const ack = await host.send({ type: 'piece.pass', to: idOf(others[0]!) });
    expect(ack).toMatchObject({ ok: true });
    expect(await host.send({ type: 'stage.advance' })).toMatchObject({ ok: true });
    await expect.poll(() => fake.updates()).toEqual([{ identity: idOf(others[0]!), sources: ['CAMERA', 'MICROPHONE'] }]);
  });

  it('a removed member is removed from the media room too', async () => {
    const { circle, host, others } = await seatCircle(server.url, ['Bea']);
    await host.send({ type: 'participant.remove', participantId: idOf(others[0]!) });
    await expect
      .poll(() => fake.calls.filter((c) => c.method === 'RemoveParticipant').map((c) => ({ room: c.body.room, identity: c.body.identity })))
      .toEqual([{ room: mediaRoomName(circle.circleId), identity: idOf(others[0]!) }]);
  });

  it('the LiveKit secret never reaches a log line or a snapshot', async () => {
    const { host } = await seatCircle(server.url, ['Bea']);
    await mediaToken(host);
    expect(logLines.join('\n')).not.toContain(SECRET);
    expect(JSON.stringify(host.states)).not.toContain(SECRET);
  });
});

describe('LiveKit during breakouts: each group is its own room', () => {
  it('tokens for the room of each member\'s place; a swap updates the group\'s speakers in the group\'s room; removal from the room they are in', async () => {
    const { circle, host, others } = await seatCircle(server.url, ['Ana', 'Ben', 'Cleo', 'Dan']);
    const [ana, ben, cleo, dan] = others as [Member, Member, Member, Member];
    expect(await host.send({ type: 'breakout.open', size: 2, groups: [[idOf(ana), idOf(ben)], [idOf(cleo), idOf(dan)]] })).toMatchObject({ ok: true });
    const [g1, g2] = (await host.waitFor((s) => s.breakouts !== null)).breakouts!.groups.map((g) => g.id) as [string, string];
    const room1 = mediaRoomName(circle.circleId, g1);
    const room2 = mediaRoomName(circle.circleId, g2);
    expect(room1).toBe(`spiral-${circle.circleId}-${g1}`);
    const joined = async (m: Member) => {
      const ack = await m.send({ type: 'media.join' });
      if (!ack.ok || !('token' in ack)) throw new Error('no token');
      const claims = await verifier.verify(ack.token);
      return { place: ack.place, room: claims.video?.room, sources: claims.video?.canPublishSources };
    };
    expect(await joined(ana)).toEqual({ place: g1, room: room1, sources: ['camera', 'microphone'] });
    expect(await joined(ben)).toEqual({ place: g1, room: room1, sources: ['camera'] });
    expect(await joined(dan)).toEqual({ place: g2, room: room2, sources: ['camera'] });
    expect(await joined(host)).toMatchObject({ place: 'main', room: mediaRoomName(circle.circleId) });

    fake.calls.length = 0;
    expect(await host.send({ type: 'breakout.swap' })).toMatchObject({ ok: true });
    await expect.poll(() => fake.updates().length).toBe(4);
    const byIdentity = Object.fromEntries(fake.calls.map((c) => [String(c.body.identity), { room: c.body.room, sources: (c.body.permission as { canPublishSources: string[] }).canPublishSources }]));
    expect(byIdentity).toEqual({
      [idOf(ana)]: { room: room1, sources: ['CAMERA'] },
      [idOf(ben)]: { room: room1, sources: ['CAMERA', 'MICROPHONE'] },
      [idOf(cleo)]: { room: room2, sources: ['CAMERA'] },
      [idOf(dan)]: { room: room2, sources: ['CAMERA', 'MICROPHONE'] },
    });

    fake.calls.length = 0;
    await host.send({ type: 'participant.remove', participantId: idOf(ben) });
    await expect
      .poll(() => fake.calls.filter((c) => c.method === 'RemoveParticipant').map((c) => ({ room: c.body.room, identity: c.body.identity })))
      .toEqual([{ room: room1, identity: idOf(ben) }]);

    // Closed: everyone's next token is for the main room again.
    await host.send({ type: 'breakout.close' });
    expect(await joined(ana)).toMatchObject({ place: 'main', room: mediaRoomName(circle.circleId) });
  });
});
