import {
  type CircleState,
  type CircleCommand,
  type CircleSummary,
  type CommandAck,
  connectedCount,
  createCircleState,
  type CreateCircleBody,
  DEFAULT_TEMPLATE,
  decide,
  type Actor,
  type Effect,
  type Gesture,
  unreachable,
  type RemovedReason,
  type SystemCommand,
  TRANSPORT_REFUSALS,
} from '@spiral/shared';
import { randomInt } from 'node:crypto';
import { Mutex } from 'async-mutex';
import { refused } from './acks.js';
import { admit, type JoinResult, parseJoinAuth, refuse, revokeRemoved } from './admission.js';
import type { Clock, TimerHandle } from './clock.js';
import type { Logger } from './logger.js';
import type { MediaProvider } from './media/media-provider.js';
import {
  hashSecret,
  newCircleId,
  newFacilitatorKey,
} from './secrets.js';
import type { CircleRecord, CircleStore } from './store/circle-store.js';

/** Where the service sends what happened; the Socket.IO layer implements it. */
export interface CircleBroadcaster {
  state(state: CircleState): void;
  gesture(circleId: string, gesture: Gesture): void;
  disconnect(circleId: string, participantId: string, reason: RemovedReason): void;
}

export type { JoinResult } from './admission.js';

export interface CircleServiceDeps {
  store: CircleStore;
  clock: Clock;
  logger: Logger;
  /** Where the effects on media go (rights to speak, removals); joining media is the media service's. */
  media: Pick<MediaProvider, 'applySpeakingRights' | 'removeParticipant' | 'followPlaces'>;
  holderGraceMs: number;
  /** Fresh randomness for one member's command (the shuffle into breakout groups); default `crypto.randomInt`. */
  randomSeed?: () => number;
}

/** A change ready to commit: the decision's new state and effects, and any change to the secrets. */
interface Step<T> {
  record: CircleRecord | null;
  effects: Effect[];
  result: T;
  /** Runs inside the lock once the change is saved (or, with no change, straight away). */
  afterCommit?: () => void;
}

const MAX_COMMIT_ATTEMPTS = 5;

/**
 * The one path every change takes: one at a time per circle → decide → compare-and-set save →
 * broadcast → effects.
 */
export class CircleService {
  private readonly locks = new Map<string, Mutex>();
  /** One pending wake-up per circle and purpose: a newer one replaces the older. */
  private readonly wakeUps = new Map<string, TimerHandle>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private broadcaster: CircleBroadcaster = { state() {}, gesture() {}, disconnect() {} };
  private closed = false;

  constructor(private readonly deps: CircleServiceDeps) {}

  setBroadcaster(broadcaster: CircleBroadcaster): void {
    this.broadcaster = broadcaster;
  }

  async create(body: CreateCircleBody): Promise<{ circleId: string; facilitatorKey: string }> {
    const facilitatorKey = newFacilitatorKey();
    for (;;) {
      const circleId = newCircleId();
      const state = createCircleState({
        id: circleId,
        title: body.title,
        template: body.template ?? DEFAULT_TEMPLATE,
        now: this.deps.clock.now(),
        ...(body.question === undefined ? {} : { question: body.question }),
      });
      const record: CircleRecord = {
        state,
        secrets: { facilitatorKeyHash: hashSecret(facilitatorKey), sessionTokens: {}, removedTokens: [] },
      };
      if (await this.deps.store.create(record)) {
        this.deps.logger.info({ circleId, template: state.template }, 'circle created');
        return { circleId, facilitatorKey };
      }
    }
  }

  async summary(circleId: string): Promise<CircleSummary | null> {
    const record = await this.deps.store.get(circleId);
    if (!record) return null;
    const { state } = record;
    return {
      circleId: state.id,
      title: state.title,
      stage: state.stage.key,
      participantCount: connectedCount(state),
      locked: state.locked,
      question: state.question === '' ? null : state.question,
      template: state.template,
    };
  }

  async state(circleId: string): Promise<CircleState | null> {
    return (await this.deps.store.get(circleId))?.state ?? null;
  }

  /**
   * Seat a newcomer or resume a member, checking the handshake in PROTOCOL.md's order. `onSeated`
   * runs inside the circle's lock, right after the change is saved: the connection layer claims the
   * member's seat there, before any departure of an older connection can be handled.
   */
  async join(auth: unknown, onSeated?: (result: Extract<JoinResult, { ok: true }>) => void): Promise<JoinResult> {
    const parsed = parseJoinAuth(auth);
    const circleId = parsed.ok ? parsed.auth.circleId : parsed.circleId;
    if (circleId === null || !(await this.deps.store.get(circleId))) return refuse('not_found');
    if (!parsed.ok) return refuse('invalid');
    return this.transact(circleId, (record) => {
      if (!record) return { record: null, effects: [], result: refuse('not_found') };
      const admission = admit(record, parsed.auth, (state, command) => this.decideSystem(state, command));
      const { result } = admission;
      return { ...admission, afterCommit: result.ok ? () => onSeated?.(result) : undefined };
    });
  }

  /**
   * A member's connection closed: they are away, and their grace period starts — unless
   * `stillTheirs()`, asked inside the circle's lock, says a newer connection has their seat now.
   */
  async leave(circleId: string, participantId: string, stillTheirs: () => boolean = () => true): Promise<void> {
    await this.transact(circleId, (record) => {
      if (!record || !stillTheirs()) return { record: null, effects: [], result: undefined };
      const decision = this.decideSystem(record.state, { type: 'member.leave', participantId });
      if (!decision.ok) return { record: null, effects: [], result: undefined };
      return { record: decision.changed ? { ...record, state: decision.state } : null, effects: decision.effects, result: undefined };
    });
  }

  async command(circleId: string, participantId: string, command: CircleCommand): Promise<CommandAck> {
    // One seed per command: a retry after a lost compare-and-set decides with the same randomness.
    const seed = this.deps.randomSeed?.() ?? randomInt(2 ** 31);
    return this.transact(circleId, (record) => {
      if (!record) return { record: null, effects: [], result: notFound() };
      const decision = decide(record.state, command, { ...this.context({ kind: 'member', id: participantId }), seed });
      if (!decision.ok) {
        return { record: null, effects: [], result: { ok: false, error: decision.rejection } satisfies CommandAck };
      }
      const result: CommandAck = { ok: true, version: decision.state.version };
      if (!decision.changed) return { record: null, effects: decision.effects, result };
      return { record: { state: decision.state, secrets: revokeRemoved(record, decision.effects) }, effects: decision.effects, result };
    });
  }

  /** A change from the server itself (a grace period ending, a timer finishing, a restart). */
  async system(circleId: string, command: SystemCommand): Promise<boolean> {
    return this.transact(circleId, (record) => {
      if (!record) return { record: null, effects: [], result: false };
      const decision = this.decideSystem(record.state, command);
      if (!decision.ok) return { record: null, effects: [], result: false };
      return { record: decision.changed ? { ...record, state: decision.state } : null, effects: decision.effects, result: decision.changed };
    });
  }

  /** After a start-up: nobody is connected any more; grace periods and timers are re-armed. */
  async recover(): Promise<number> {
    const ids = await this.deps.store.listIds();
    for (const id of ids) {
      try {
        await this.system(id, { type: 'server.restart' });
      } catch (error) {
        this.deps.logger.error({ err: error, circleId: id }, 'could not recover circle');
      }
    }
    if (ids.length > 0) this.deps.logger.info({ circles: ids.length }, 'circles recovered');
    return ids.length;
  }

  /** Stop scheduling, cancel wake-ups, and wait for changes under way to be saved. */
  async close(): Promise<void> {
    this.closed = true;
    for (const handle of this.wakeUps.values()) handle.cancel();
    this.wakeUps.clear();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private context(actor: Actor) {
    return { actor, now: this.deps.clock.now(), holderGraceMs: this.deps.holderGraceMs };
  }

  private decideSystem(state: CircleState, command: SystemCommand) {
    return decide(state, command, this.context({ kind: 'system' }));
  }

  /**
   * One change at a time per circle: read, decide, save with compare-and-set (re-deciding on a lost
   * race with another process), then broadcast and run effects.
   */
  private async transact<T>(circleId: string, step: (record: CircleRecord | null) => Step<T>): Promise<T> {
    return this.withLock(circleId, async () => {
      for (let attempt = 1; ; attempt++) {
        const current = await this.deps.store.get(circleId);
        const outcome = step(current);
        if (outcome.record && current) {
          const saved = await this.deps.store.compareAndSet(circleId, current.state.version, outcome.record);
          if (!saved) {
            if (attempt >= MAX_COMMIT_ATTEMPTS) throw new Error(`circle ${circleId}: too many concurrent writers`);
            continue;
          }
          outcome.afterCommit?.();
          this.broadcaster.state(outcome.record.state);
          // Places change only while breakouts are open, or as they open or close.
          if (current.state.breakouts !== null || outcome.record.state.breakouts !== null) this.followPlaces(outcome.record.state);
          this.runEffects(outcome.record.state, outcome.effects);
        } else if (current) {
          outcome.afterCommit?.();
          this.runEffects(current.state, outcome.effects);
        }
        return outcome.result;
      }
    });
  }

  private async withLock<T>(circleId: string, body: () => Promise<T>): Promise<T> {
    let lock = this.locks.get(circleId);
    if (!lock) {
      lock = new Mutex();
      this.locks.set(circleId, lock);
    }
    const run = lock.runExclusive(body);
    this.inFlight.add(run);
    try {
      return await run;
    } finally {
      this.inFlight.delete(run);
      if (!lock.isLocked()) this.locks.delete(circleId);
    }
  }

  private runEffects(state: CircleState, effects: Effect[]): void {
    for (const effect of effects) {
      switch (effect.type) {
        case 'schedule':
          this.schedule(state.id, effect.at, effect.command);
          break;
        case 'disconnect':
          this.broadcaster.disconnect(state.id, effect.participantId, effect.reason);
          this.deps.media.removeParticipant(state.id, effect.participantId).catch((error: unknown) => {
            this.deps.logger.warn({ err: error, circleId: state.id }, 'media removal failed');
          });
          break;
        case 'media.permissions':
          this.deps.media.applySpeakingRights(state, effect.changes).catch((error: unknown) => {
            this.deps.logger.warn({ err: error, circleId: state.id }, 'media permission update failed');
          });
          break;
        case 'gesture':
          this.broadcaster.gesture(state.id, effect.gesture);
          break;
        default:
          unreachable(effect);
      }
    }
  }

  private followPlaces(state: CircleState): void {
    try {
      this.deps.media.followPlaces(state);
    } catch (error) {
      this.deps.logger.warn({ err: error, circleId: state.id }, 'media could not follow places');
    }
  }

  private schedule(circleId: string, at: number, command: SystemCommand): void {
    if (this.closed) return;
    const key = wakeUpKey(circleId, command);
    this.wakeUps.get(key)?.cancel();
    const handle = this.deps.clock.setTimeout(() => {
      if (this.wakeUps.get(key) === handle) this.wakeUps.delete(key);
      this.system(circleId, command).catch((error: unknown) => {
        this.deps.logger.error({ err: error, circleId, command: command.type }, 'scheduled change failed');
      });
    }, at - this.deps.clock.now());
    this.wakeUps.set(key, handle);
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
      return `${circleId}\u0000${command.type}`;
    default:
      return unreachable(command);
  }
}

const notFound = (): CommandAck => refused(TRANSPORT_REFUSALS.noSuchCircle);
