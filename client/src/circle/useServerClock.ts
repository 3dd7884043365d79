import { useEffect, useMemo } from 'react';
import { bestEstimate, sampleOffset, type ClockEstimate, type ClockSample } from '@spiral/shared';
import type { ClockSyncChannel } from './socket';

/** An estimate of the server's clock: `now()` is the client's clock plus the best offset so far. */
export interface ServerClock {
  now(): number;
  readonly offsetMs: number;
  readonly roundTripMs: number | null;
  readonly synced: boolean;
}

export interface ClockOptions {
  /** Samples per estimate; the one with the shortest round trip wins. */
  samples?: number;
  /** Pause between samples of one estimate, so they do not queue behind each other. */
  gapMs?: number;
  /** How often to estimate again. */
  intervalMs?: number;
  /** One early extra estimate this long after the first (joins are busy moments); 0 for none. */
  refineAfterMs?: number;
  /** Samples older than this are forgotten. */
  poolMaxAgeMs?: number;
  /** A sample with no answer after this long is dropped. */
  sampleTimeoutMs?: number;
  /** The client's clock (tests inject one; defaults to `Date.now`). */
  clientNow?: () => number;
}

interface PooledSample {
  sample: ClockSample;
  offsetMs: number;
  roundTripMs: number;
}

/** Two estimates are consistent when their uncertainty intervals (offset ± half the round trip) overlap. */
function consistent(a: ClockEstimate, b: ClockEstimate, slackMs = 5): boolean {
  return Math.abs(a.offsetMs - b.offsetMs) <= (a.roundTripMs + b.roundTripMs) / 2 + slackMs;
}

export class ServerClockEstimator implements ServerClock {
  offsetMs = 0;
  roundTripMs: number | null = null;
  synced = false;
  /** Recent samples: the best (shortest round trip) across batches wins, so one busy moment does not undo a good estimate. */
  private pool: PooledSample[] = [];
  private running = false;
  private disposed = false;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    private readonly channel: ClockSyncChannel,
    private readonly options: Required<ClockOptions>,
  ) {}

  now(): number {
    return this.options.clientNow() + this.offsetMs;
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private sample(): Promise<ClockSample | null> {
    const clientNow = this.options.clientNow;
    return new Promise((resolve) => {
      const sentAt = clientNow();
      let done = false;
      const t = setTimeout(() => {
        this.timers.delete(t);
        if (!done) {
          done = true;
          resolve(null);
        }
      }, this.options.sampleTimeoutMs);
      this.timers.add(t);
      this.channel.syncClock((serverTime) => {
        if (done) return;
        done = true;
        clearTimeout(t);
        this.timers.delete(t);
        if (typeof serverTime !== 'number' || !Number.isFinite(serverTime)) return resolve(null);
        resolve({ sentAt, serverTime, receivedAt: clientNow() });
      });
    });
  }

  /** Take a fresh set of samples and adopt the best one. Overlapping calls collapse into one. */
  async estimate(): Promise<void> {
    if (this.running || this.disposed) return;
    this.running = true;
    try {
      const samples: ClockSample[] = [];
      for (let i = 0; i < this.options.samples && !this.disposed; i += 1) {
        if (i > 0) await this.wait(this.options.gapMs);
        const sample = await this.sample();
        if (sample) samples.push(sample);
      }
      const fresh: PooledSample[] = samples.map((sample) => ({ sample, ...sampleOffset(sample) }));
      const bestFresh = bestEstimate(samples);
      if (!bestFresh || this.disposed) return;
      const bestOld = this.pool.reduce<PooledSample | null>((b, p) => (b === null || p.roundTripMs < b.roundTripMs ? p : b), null);
      const horizon = this.options.clientNow() - this.options.poolMaxAgeMs;
      // A new batch that cannot be reconciled with the old samples means this device's clock jumped
      // (sleep, a manual change, an NTP step): start again from the new samples alone.
      const keepOld = bestOld !== null && consistent(bestOld, bestFresh);
      this.pool = [...(keepOld ? this.pool.filter((p) => p.sample.receivedAt >= horizon) : []), ...fresh].slice(-40);
      const best = bestEstimate(this.pool.map((p) => p.sample));
      if (best) {
        this.offsetMs = best.offsetMs;
        this.roundTripMs = best.roundTripMs;
        this.synced = true;
      }
    } finally {
      this.running = false;
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

const DEFAULTS: Required<ClockOptions> = {
  samples: 6,
  gapMs: 30,
  intervalMs: 60_000,
  refineAfterMs: 3_000,
  poolMaxAgeMs: 10 * 60_000,
  sampleTimeoutMs: 3_000,
  clientNow: () => Date.now(),
};

/**
 * Estimates the server's clock over `clock:sync` (NTP-style, best of several samples), again every
 * `intervalMs`, whenever `epoch` changes (pass something that changes on reconnect) and when the tab
 * becomes visible again (timers in hidden tabs are throttled, and machines sleep).
 */
export function useServerClock(channel: ClockSyncChannel | null, epoch: unknown = 0, options: ClockOptions = {}): ServerClock {
  const { samples, gapMs, intervalMs, refineAfterMs, poolMaxAgeMs, sampleTimeoutMs, clientNow } = { ...DEFAULTS, ...options };
  const estimator = useMemo(
    () =>
      channel
        ? new ServerClockEstimator(channel, { samples, gapMs, intervalMs, refineAfterMs, poolMaxAgeMs, sampleTimeoutMs, clientNow })
        : null,
    [channel, samples, gapMs, intervalMs, refineAfterMs, poolMaxAgeMs, sampleTimeoutMs, clientNow],
  );

  useEffect(() => {
    if (!estimator) return;
    void estimator.estimate();
    const refine = refineAfterMs > 0 ? setTimeout(() => void estimator.estimate(), refineAfterMs) : undefined;
    const interval = setInterval(() => void estimator.estimate(), intervalMs);
    const onVisible = () => {
      if (document.visibilityState === 'visible') void estimator.estimate();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearTimeout(refine);
      clearInterval(interval);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [estimator, intervalMs, refineAfterMs, epoch]);

  useEffect(() => () => estimator?.dispose(), [estimator]);

  return estimator ?? LOCAL_CLOCK;
}

const LOCAL_CLOCK: ServerClock = { now: () => Date.now(), offsetMs: 0, roundTripMs: null, synced: false };
