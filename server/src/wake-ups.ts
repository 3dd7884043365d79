/** Server-side changes due later (grace periods, timer and silence ends, breakout recalls): one timer per purpose. */
import { type SystemCommand, unreachable } from '@spiral/shared';
import type { Clock, TimerHandle } from './clock.js';

/** Runs a due change through the circle's pipeline; the promise settles once it is saved (or refused). */
export type FireWakeUp = (circleId: string, command: SystemCommand) => Promise<unknown> | void;

/**
 * Where server-side changes due later wait: in this process's timers (`WakeUps`, one process), or in
 * Redis for every process to claim exactly once (`RedisWakeUps`, STORE=redis).
 */
export interface WakeUpScheduler {
  /** Wake `command` for `circleId` at `at`; a newer wake-up for the same purpose replaces the older. */
  schedule(circleId: string, at: number, command: SystemCommand): void;
  /** A circle that is gone wakes no more. */
  forget(circleId: string): void;
  close(): void;
}

/** Builds the scheduler once the circle service can receive what it fires. */
export type WakeUpSchedulerFactory = (fire: FireWakeUp) => WakeUpScheduler;

export class WakeUps implements WakeUpScheduler {
  private readonly pending = new Map<string, TimerHandle>();
  private closed = false;

  /** `fire` runs the change through the circle's pipeline when it is due. */
  constructor(
    private readonly clock: Clock,
    private readonly fire: FireWakeUp,
  ) {}

  /** Wake `command` for `circleId` at `at`; a newer wake-up for the same purpose replaces the older. */
  schedule(circleId: string, at: number, command: SystemCommand): void {
    if (this.closed) return;
    const key = wakeUpKey(circleId, command);
    this.pending.get(key)?.cancel();
    const handle = this.clock.setTimeout(() => {
      if (this.pending.get(key) === handle) this.pending.delete(key);
      void this.fire(circleId, command);
    }, at - this.clock.now());
    this.pending.set(key, handle);
  }

  /** A circle that is gone wakes no more. */
  forget(circleId: string): void {
    for (const [key, handle] of this.pending) {
      if (key.startsWith(`${circleId}\u0000`)) {
        handle.cancel();
        this.pending.delete(key);
      }
    }
  }

  close(): void {
    this.closed = true;
    for (const handle of this.pending.values()) handle.cancel();
    this.pending.clear();
  }
}

/**
 * Which pending wake-up a new one replaces: one per member for their grace period, one per circle for
 * everything else (the timer's end, the silence's end, the breakouts' recall and their return). A
 * replaced wake-up is stale anyway (each carries the time or the breakouts it is for), but cancelling
 * it keeps one timer per purpose.
 */
export function wakeUpKey(circleId: string, command: SystemCommand): string {
  switch (command.type) {
    case 'member.join':
      return `${circleId}\u0000${command.type}\u0000${command.participant.id}`;
    case 'member.return':
    case 'member.leave':
    case 'presence.grace-end':
      return `${circleId}\u0000${command.type}\u0000${command.participantId}`;
    case 'timer.finish':
    case 'silence.finish':
    case 'breakout.recall':
    case 'breakout.finish':
    case 'server.restart':
    case 'circle.update':
      return `${circleId}\u0000${command.type}`;
    default:
      return unreachable(command);
  }
}
