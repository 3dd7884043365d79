import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, renderHook } from '@testing-library/react';
import { useServerClock } from './useServerClock';
import { FakeSocket } from '../test/fakeSocket';

const SERVER_AHEAD = 42_000;

/** Answers each clock:sync after `up` ms on the way there and `down` ms on the way back. */
function respondWith(socket: FakeSocket, delays: [up: number, down: number][], serverAhead = SERVER_AHEAD) {
  let i = 0;
  socket.clockResponder = (ack) => {
    const [up, down] = delays[Math.min(i, delays.length - 1)] ?? [0, 0];
    i += 1;
    setTimeout(() => {
      const serverTime = Date.now() + serverAhead;
      setTimeout(() => ack(serverTime), down);
    }, up);
  };
  return () => i;
}

describe('useServerClock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(1_700_000_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('estimates the offset as serverTime minus the midpoint, from the sample with the shortest round trip', async () => {
    const socket = new FakeSocket();
    // Asymmetric, slow samples would skew the estimate; the 2 ms symmetric one is best.
    respondWith(socket, [
      [300, 10],
      [1, 1],
      [5, 200],
      [100, 100],
      [50, 10],
    ]);
    const { result } = renderHook(() => useServerClock(socket, 0, { gapMs: 10 }));
    expect(result.current.synced).toBe(false);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(2_000);
    });
    expect(result.current.synced).toBe(true);
    expect(result.current.roundTripMs).toBe(2);
    expect(result.current.offsetMs).toBe(SERVER_AHEAD); // up 1, down 1: the midpoint is exact
    expect(result.current.now() - Date.now()).toBe(SERVER_AHEAD);
  });

  it('carries the error of an asymmetric path, by half the asymmetry', async () => {
    const socket = new FakeSocket();
    respondWith(socket, [[30, 10]]);
    const { result } = renderHook(() => useServerClock(socket, 0, { samples: 1 }));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(100);
    });
    // Sent at t, server read at t+30, back at t+40: offset = (t+30+A) − (t+20) = A + 10.
    expect(result.current.offsetMs).toBe(SERVER_AHEAD + 10);
  });

  it('drops unanswered samples and estimates again periodically and when the tab becomes visible', async () => {
    const socket = new FakeSocket();
    const { result } = renderHook(() => useServerClock(socket, 0, { samples: 2, gapMs: 0, intervalMs: 60_000, refineAfterMs: 0, sampleTimeoutMs: 1_000 }));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5_000);
    });
    expect(socket.clockAcks).toHaveLength(2); // nobody answered: nothing adopted
    expect(result.current.synced).toBe(false);

    const answered = respondWith(socket, [[2, 2]]);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(60_000);
    });
    expect(answered()).toBe(2);
    expect(result.current.offsetMs).toBe(SERVER_AHEAD);

    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
    await act(async () => {
      document.dispatchEvent(new Event('visibilitychange'));
      await vi.advanceTimersByTimeAsync(100);
    });
    expect(answered()).toBe(4);
  });

  it('keeps a better earlier estimate when a later batch is noisier, but starts over after a clock jump', async () => {
    const socket = new FakeSocket();
    const opts = { samples: 1, intervalMs: 60_000, refineAfterMs: 0 };
    respondWith(socket, [[2, 2]]);
    const { result } = renderHook(() => useServerClock(socket, 0, opts));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(100);
    });
    expect(result.current.offsetMs).toBe(SERVER_AHEAD);

    // A busy minute later: 60 ms up, 10 ms down (consistent with the first, but 25 ms off on its own).
    respondWith(socket, [[60, 10]]);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(60_000);
    });
    expect(result.current.offsetMs).toBe(SERVER_AHEAD);
    expect(result.current.roundTripMs).toBe(4);

    // This device's clock is set back by an hour (the server's is not): the old samples no longer
    // fit, so the estimate comes from the new batch alone (round trip 40 ms, 10 ms asymmetry error).
    vi.setSystemTime(Date.now() - 3_600_000);
    respondWith(socket, [[30, 10]], SERVER_AHEAD + 3_600_000);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(60_000);
    });
    expect(result.current.roundTripMs).toBe(40);
    expect(result.current.offsetMs).toBe(SERVER_AHEAD + 3_600_000 + 10);
  });
});
