import { describe, expect, it } from 'vitest';
import { bestEstimate, sampleOffset } from './clock.js';

describe('sampleOffset', () => {
  it('is serverTime − midpoint of send and receive', () => {
    expect(sampleOffset({ sentAt: 1_000, serverTime: 5_050, receivedAt: 1_100 })).toEqual({ offsetMs: 4_000, roundTripMs: 100 });
  });

  it('is negative when the client runs ahead of the server', () => {
    expect(sampleOffset({ sentAt: 10_000, serverTime: 7_010, receivedAt: 10_020 })).toEqual({ offsetMs: -3_000, roundTripMs: 20 });
  });

  it('handles an odd round trip without rounding', () => {
    expect(sampleOffset({ sentAt: 0, serverTime: 10, receivedAt: 5 }).offsetMs).toBe(7.5);
  });

  it('never reports a negative round trip', () => {
    expect(sampleOffset({ sentAt: 100, serverTime: 100, receivedAt: 90 }).roundTripMs).toBe(0);
  });
});

describe('bestEstimate', () => {
  it('is null without samples', () => {
    expect(bestEstimate([])).toBeNull();
  });

  it('picks the sample with the shortest round trip, wherever it is', () => {
    const samples = [
      { sentAt: 0, serverTime: 1_200, receivedAt: 400 }, // rtt 400, offset 1000
      { sentAt: 1_000, serverTime: 2_060, receivedAt: 1_020 }, // rtt 20, offset 1050
      { sentAt: 2_000, serverTime: 3_100, receivedAt: 2_100 }, // rtt 100, offset 1050
      { sentAt: 3_000, serverTime: 4_500, receivedAt: 3_900 }, // rtt 900
    ];
    expect(bestEstimate(samples)).toEqual({ offsetMs: 1_050, roundTripMs: 20 });
    expect(bestEstimate([...samples].reverse())).toEqual({ offsetMs: 1_050, roundTripMs: 20 });
  });

  it('keeps the first of equally short samples', () => {
    const best = bestEstimate([
      { sentAt: 0, serverTime: 100, receivedAt: 10 },
      { sentAt: 100, serverTime: 300, receivedAt: 110 },
    ]);
    expect(best).toEqual({ offsetMs: 95, roundTripMs: 10 });
  });
});
