import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { RefusalStrikes, STRIKES_BEFORE_CUT } from './refusal-strikes.js';
import type { SpiralSocket } from './spiral-socket.js';

function fakeSocket(id: string) {
  const socket = { id, connected: true, data: { circleId: 'c', participantId: 'p', sessionToken: 't' }, cuts: 0, disconnect: () => ((socket.connected = false), (socket.cuts += 1)) };
  return socket;
}
const limited = { ok: false, error: { code: 'rate_limited', message: 'slow down' } };

describe('refusal strikes', () => {
  it(`cuts a connection at its ${STRIKES_BEFORE_CUT + 1}th rate_limited refusal in 10 s, and only that one`, async () => {
    const strikes = new RefusalStrikes(createLogger('silent'));
    const flooder = fakeSocket('s1');
    const neighbour = fakeSocket('s2');
    for (let i = 0; i < STRIKES_BEFORE_CUT; i++) await strikes.count(flooder as unknown as SpiralSocket, limited);
    await strikes.count(neighbour as unknown as SpiralSocket, limited);
    expect(flooder.cuts).toBe(0);
    await strikes.count(flooder as unknown as SpiralSocket, limited);
    expect(flooder.cuts).toBe(1);
    expect(neighbour.cuts).toBe(0);
  });

  it('counts only rate_limited refusals: accepted commands and other refusals are no strike', async () => {
    const strikes = new RefusalStrikes(createLogger('silent'));
    const member = fakeSocket('s3');
    for (let i = 0; i < STRIKES_BEFORE_CUT * 2; i++) {
      await strikes.count(member as unknown as SpiralSocket, { ok: true, version: i });
      await strikes.count(member as unknown as SpiralSocket, { ok: false, error: { code: 'forbidden', message: 'no' } });
    }
    expect(member.cuts).toBe(0);
  });
});
