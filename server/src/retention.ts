/**
 * Retention: circles past `expiresAt` (a scheduled one once it has ended, an unscheduled one
 * `CIRCLE_TTL_DAYS` after its last change) are deleted with their secrets, each inside its lock like
 * any change — at start-up, then every hour on the server's clock.
 */
import { expiresAt } from '@spiral/shared';
import type { Clock, TimerHandle } from './clock.js';
import type { Logger } from './logger.js';
import type { CircleRecord } from './store/circle-store.js';

export const SWEEP_INTERVAL_MS = 60 * 60_000;

export interface RetentionDeps {
  clock: Clock;
  logger: Logger;
  ttlDays: number;
  /** Every stored circle's id. */
  listIds(): Promise<string[]>;
  /** Delete the circle (inside its lock) when `expired(record)` says so; true when it went. */
  discardIf(circleId: string, expired: (record: CircleRecord) => boolean): Promise<boolean>;
}

export class Retention {
  private timer: TimerHandle | undefined;
  private stopped = false;
  /** Circles saved before retention existed have no `activeAt` (0): they count as active from start-up. */
  private readonly startedAt: number;

  constructor(private readonly deps: RetentionDeps) {
    this.startedAt = deps.clock.now();
  }

  /** One sweep; returns how many circles went. */
  async sweep(): Promise<number> {
    const { clock, logger, ttlDays } = this.deps;
    let swept = 0;
    for (const id of await this.deps.listIds()) {
      try {
        const gone = await this.deps.discardIf(id, ({ state }) => expiresAt(state.gathering, state.activeAt || this.startedAt, ttlDays) <= clock.now());
        if (gone) {
          swept++;
          logger.info({ circleId: id }, 'circle expired and deleted');
        }
      } catch (error) {
        logger.error({ err: error, circleId: id }, 'could not sweep circle');
      }
    }
    return swept;
  }

  /** Sweep now, then every `SWEEP_INTERVAL_MS`, until `stop()`. */
  async start(): Promise<void> {
    const next = () => {
      if (this.stopped) return;
      this.timer = this.deps.clock.setTimeout(() => {
        this.sweep().then(next, (error: unknown) => {
          this.deps.logger.error({ err: error }, 'retention sweep failed');
          next();
        });
      }, SWEEP_INTERVAL_MS);
    };
    await this.sweep();
    next();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }
}
