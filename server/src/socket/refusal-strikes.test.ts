import { TRANSPORT_REFUSALS } from '@spiral/shared';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { RefusalStrikes, STRIKES_BEFORE_CUT } from './refusal-strikes.js';
import type { SpiralSocket } from './spiral-socket.js';

function fakeSocket(id: string) {
  const socket = { id, connected: true, data: { circleId: 'c', participantId: 'p', sessionToken: 't' }, cuts: 0, disconnect: () => ((socket.connected = false), (socket.cuts += 1)) };
  return socket;
}
const limited = { ok: false, error: { code: 'rate_limited', message: 'slow down' } };
const asSocket = (socket: ReturnType<typeof fakeSocket>) => socket as unknown as SpiralSocket;

describe('refusal strikes', () => {
  it(`past ${STRIKES_BEFORE_CUT} rate_limited refusals from one address, cuts each of its connections at its next one; other addresses go on`, async () => {
    const strikes = new RefusalStrikes(createLogger('silent'));
    const bots = Array.from({ length: 3 }, (_, i) => fakeSocket(`bot${i}`));
    const neighbour = fakeSocket('n');
    for (let i = 0; i < STRIKES_BEFORE_CUT; i++) await strikes.count(asSocket(bots[i % 3]!), '203.0.113.9', limited);
    await strikes.count(asSocket(neighbour), '198.51.100.1', limited);
    expect(bots.map((b) => b.cuts)).toEqual([0, 0, 0]);
    for (const bot of bots) await strikes.count(asSocket(bot), '203.0.113.9', limited);
    expect(bots.map((b) => b.cuts)).toEqual([1, 1, 1]);
    expect(neighbour.cuts).toBe(0);
  });

  it('counts only refusals for sending too fast: accepted commands, other refusals and gestures past one a second are no strike', async () => {
    const strikes = new RefusalStrikes(createLogger('silent'));
    const member = fakeSocket('s3');
    for (let i = 0; i < STRIKES_BEFORE_CUT * 2; i++) {
      await strikes.count(asSocket(member), '203.0.113.10', { ok: true, version: i });
      await strikes.count(asSocket(member), '203.0.113.10', { ok: false, error: { code: 'forbidden', message: 'no' } });
      await strikes.count(asSocket(member), '203.0.113.10', { ok: false, error: TRANSPORT_REFUSALS.gesturesTooFast });
    }
    expect(member.cuts).toBe(0);
  });
});
