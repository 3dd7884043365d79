import { describe, expect, it } from 'vitest';
import { makeCircle, standardCircle } from './testing/circle-builder.js';
import { featuredIn, p2pPlaceCapacity, p2pSenders, P2P_SEATS, scaleDownBy, SENDING_BUDGETS, sendingQuality, sendingRole, type SendingRole } from './sending-quality.js';
import type { CircleState } from './state.js';

const withGroups = (state: CircleState, groups: string[][], mode: 'turns' | 'open' = 'turns', visits: Record<string, string> = {}): CircleState => ({
  ...state,
  breakouts: {
    id: 'b1',
    prompt: '',
    mode,
    groups: groups.map((memberIds, i) => ({ id: `b1g${i + 1}`, memberIds, speakerId: mode === 'turns' ? memberIds[0]! : null, helpAt: null })),
    message: null,
    visits,
    endsAt: null,
    closingAt: null,
  },
});

/** Everything one member uploads as video to `receivers` peers. */
const uplink = (role: SendingRole, receivers: number) => sendingQuality(role, receivers).maxBitrate * receivers;

describe('sendingQuality', () => {
  it('sends the featured member large and sharp, a listener as a thumbnail', () => {
    expect(sendingQuality('featured', 2)).toEqual({ maxBitrate: 1_200_000, maxWidth: 1280, maxFramerate: 30 });
    expect(sendingQuality('listener', 2)).toEqual({ maxBitrate: 150_000, maxWidth: 320, maxFramerate: 15 });
    expect(sendingQuality('even', 2)).toEqual({ maxBitrate: 500_000, maxWidth: 640, maxFramerate: 24 });
  });

  it('shrinks each copy as the mesh grows, never below the floor, and the featured stays ahead', () => {
    for (const role of ['featured', 'listener', 'even'] as const) {
      let previous = Infinity;
      for (let receivers = 1; receivers <= 23; receivers += 1) {
        const q = sendingQuality(role, receivers);
        expect(q.maxBitrate).toBeLessThanOrEqual(previous);
        expect(q.maxBitrate).toBeGreaterThanOrEqual(SENDING_BUDGETS[role].floor);
        previous = q.maxBitrate;
      }
    }
    for (let receivers = 1; receivers <= 23; receivers += 1) {
      expect(sendingQuality('featured', receivers).maxBitrate).toBeGreaterThan(sendingQuality('listener', receivers).maxBitrate);
      expect(sendingQuality('featured', receivers).maxWidth).toBeGreaterThanOrEqual(sendingQuality('listener', receivers).maxWidth);
    }
    // Larger, not only sharper, in any mesh up to the senders' limit.
    for (let receivers = 1; receivers <= 11; receivers += 1) expect(sendingQuality('featured', receivers).maxWidth).toBeGreaterThan(sendingQuality('listener', receivers).maxWidth);
  });

  it('keeps a twelve-person mesh inside a home uplink: featured ≤ 3 Mbit/s, listeners ≤ 1 Mbit/s of video', () => {
    expect(uplink('featured', 11)).toBeLessThanOrEqual(3_000_000);
    expect(uplink('listener', 11)).toBeLessThanOrEqual(1_000_000);
    expect(uplink('even', 11)).toBeLessThanOrEqual(2_000_000);
    // Still a real picture for the one who speaks.
    expect(sendingQuality('featured', 11).maxWidth).toBeGreaterThanOrEqual(480);
  });

  it('holds the budgets with a full place too (12 senders, 12 receiving only: 23 copies)', () => {
    expect(uplink('featured', 23)).toBeLessThanOrEqual(3_000_000);
    expect(uplink('listener', 23)).toBeLessThanOrEqual(1_000_000);
    expect(uplink('even', 23)).toBeLessThanOrEqual(2_000_000);
  });

  it('picks the picture size by the bitrate', () => {
    expect(sendingQuality('featured', 4).maxWidth).toBe(960); // 750 kbit/s
    expect(sendingQuality('featured', 7).maxWidth).toBe(640); // 428 kbit/s
    expect(sendingQuality('featured', 0)).toEqual(sendingQuality('featured', 1));
  });
});

describe('scaleDownBy', () => {
  it('scales the capture down to the width, never up', () => {
    expect(scaleDownBy(1280, 320)).toBe(4);
    expect(scaleDownBy(640, 320)).toBe(2);
    expect(scaleDownBy(320, 1280)).toBe(1);
    expect(scaleDownBy(0, 320)).toBe(1);
    expect(scaleDownBy(Number.NaN, 320)).toBe(1);
  });
});

describe('who is featured', () => {
  it('is the holder in the main circle, nobody with the piece in the centre or in open mode', () => {
    expect(featuredIn(standardCircle({ holderId: 'a' }), 'b')).toBe('a');
    expect(sendingRole(standardCircle({ holderId: 'a' }), 'a')).toBe('featured');
    expect(sendingRole(standardCircle({ holderId: 'a' }), 'f')).toBe('listener');
    expect(sendingRole(standardCircle({ holderId: null }), 'a')).toBe('even');
    expect(sendingRole(standardCircle({ mode: 'open' }), 'a')).toBe('even');
  });

  it("is the group's speaker in a group taking turns, a visitor included; nobody in an open group", () => {
    const state = withGroups(standardCircle({ holderId: 'c' }), [['a', 'b']], 'turns', { f: 'b1g1' });
    expect(sendingRole(state, 'a')).toBe('featured');
    expect(sendingRole(state, 'b')).toBe('listener');
    expect(sendingRole(state, 'f')).toBe('listener');
    // c is in the main circle, where the piece still decides.
    expect(sendingRole(state, 'c')).toBe('featured');
    expect(sendingRole(withGroups(standardCircle(), [['a', 'b']], 'open'), 'a')).toBe('even');
  });
});

describe('p2pSenders', () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `p${i}`);
  const big = (holderId: string | null, facilitator = 'p13') =>
    makeCircle({ members: ids(15).map((id) => ({ id, role: id === facilitator ? ('facilitator' as const) : ('participant' as const) })), holderId });

  it('lets everyone send while the place has room', () => {
    expect([...p2pSenders(big(null), ids(3), 12)]).toEqual(ids(3));
    expect(p2pSenders(null, ids(12), 12).size).toBe(12);
  });

  it('beyond the senders, the first who joined send and the newcomers receive only', () => {
    const senders = p2pSenders(big(null, 'p0'), ids(14), 12);
    expect(senders.size).toBe(12);
    expect(senders.has('p12')).toBe(false);
    expect(senders.has('p13')).toBe(false);
  });

  it('the holder and the facilitators always send, ahead of earlier joiners', () => {
    const senders = p2pSenders(big('p14'), ids(15), 12);
    expect(senders.has('p14')).toBe(true);
    expect(senders.has('p13')).toBe(true);
    expect(senders.size).toBe(12);
    expect([...ids(15)].filter((id) => !senders.has(id))).toEqual(['p10', 'p11', 'p12']);
  });

  it('a place holds as many receive-only members as senders', () => {
    expect(p2pPlaceCapacity(P2P_SEATS.sendersDefault)).toBe(24);
    expect(p2pPlaceCapacity(3)).toBe(6);
  });
});
