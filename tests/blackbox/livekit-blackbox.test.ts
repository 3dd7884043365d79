/**
 * Black box for video: the built server process with LIVEKIT_URL pointing at a local Twirp endpoint
 * of our own; three members join over the socket and pass the piece around.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeLiveKitServer } from '@spiral/server';
import { TokenVerifier } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllSockets, seatCircle, type Member } from '../support/harness.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

const KEY = 'blackbox-key';
const SECRET = 'blackbox-secret-that-is-long-enough-for-hs256';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiral-lk-blackbox-'));
let fake: FakeLiveKitServer;
let server: ServerProcess;

beforeAll(async () => {
  fake = new FakeLiveKitServer(KEY, SECRET);
  const url = await fake.start();
  server = await startServerProcess({ DATA_DIR: dataDir, LIVEKIT_URL: url, LIVEKIT_API_KEY: KEY, LIVEKIT_API_SECRET: SECRET });
});
afterAll(async () => {
  closeAllSockets();
  await server?.stop();
  await fake.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('black box: LiveKit through the server process', () => {
  it('issues the right tokens and exactly the right UpdateParticipant calls', async () => {
    const { host, others } = await seatCircle(server.url, ['Ana', 'Ben', 'Cleo']);
    const [ana, ben, cleo] = others as [Member, Member, Member];
    const id = (m: Member) => m.welcome.participantId;
    const verifier = new TokenVerifier(KEY, SECRET);
    const sourcesOf = async (m: Member) => {
      const ack = await m.send({ type: 'media.join' });
      if (!ack.ok || !('token' in ack)) throw new Error('no token');
      return (await verifier.verify(ack.token)).video?.canPublishSources;
    };
    expect(await sourcesOf(ana)).toEqual(['camera']);
    await host.send({ type: 'piece.pass' }); // from the centre: the lowest seat, the host
    expect(fake.updates()).toEqual([]); // the host could already speak
    const steps: [Member, string, string][] = [
      [host, id(host), id(ana)],
      [ana, id(ana), id(ben)],
      [ben, id(ben), id(cleo)],
    ];
    for (const [actor, from, to] of steps) {
      fake.calls.length = 0;
      await actor.send({ type: 'piece.pass' });
      const expected = from === id(host) ? { [to]: ['CAMERA', 'MICROPHONE'] } : { [from]: ['CAMERA'], [to]: ['CAMERA', 'MICROPHONE'] };
      await expect.poll(() => fake.updates().length).toBe(Object.keys(expected).length);
      expect(Object.fromEntries(fake.updates().map((u) => [u.identity, u.sources]))).toEqual(expected);
    }
    expect(await sourcesOf(cleo)).toEqual(['camera', 'microphone']);
    expect(await sourcesOf(ana)).toEqual(['camera']);
    expect(fake.rejectedAuth).toEqual([]);
    expect(server.output.join('')).not.toContain(SECRET);
  });

  it('during breakouts each pair has its own room: tokens for it, and a swap updated in it', async () => {
    const { circle, host, others } = await seatCircle(server.url, ['Ana', 'Ben', 'Cleo', 'Dan']);
    const [ana, ben, cleo, dan] = others as [Member, Member, Member, Member];
    const id = (m: Member) => m.welcome.participantId;
    const verifier = new TokenVerifier(KEY, SECRET);
    const roomOf = async (m: Member) => {
      const ack = await m.send({ type: 'media.join' });
      if (!ack.ok || !('token' in ack)) throw new Error('no token');
      return { place: ack.place, room: (await verifier.verify(ack.token)).video?.room };
    };
    expect(await host.send({ type: 'breakout.open', size: 2, groups: [[id(ana), id(ben)], [id(cleo), id(dan)]] })).toMatchObject({ ok: true });
    const [g1, g2] = (await host.waitFor((s) => s.breakouts !== null)).breakouts!.groups.map((g) => g.id) as [string, string];
    expect(await roomOf(ben)).toEqual({ place: g1, room: `spiral-${circle.circleId}-${g1}` });
    expect(await roomOf(cleo)).toEqual({ place: g2, room: `spiral-${circle.circleId}-${g2}` });
    expect(await roomOf(host)).toEqual({ place: 'main', room: `spiral-${circle.circleId}` });
    fake.calls.length = 0;
    await host.send({ type: 'breakout.swap' });
    await expect.poll(() => fake.updates().length).toBe(4);
    const rooms = Object.fromEntries(fake.calls.map((c) => [String(c.body.identity), c.body.room]));
    expect(rooms).toEqual({
      [id(ana)]: `spiral-${circle.circleId}-${g1}`,
      [id(ben)]: `spiral-${circle.circleId}-${g1}`,
      [id(cleo)]: `spiral-${circle.circleId}-${g2}`,
      [id(dan)]: `spiral-${circle.circleId}-${g2}`,
    });
    expect(fake.updates().filter((u) => u.sources.includes('MICROPHONE')).map((u) => u.identity).sort()).toEqual([id(ben), id(dan)].sort());
  });
});
