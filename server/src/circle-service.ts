import {
  type CircleState,
  type CircleCommand,
  type CircleSummary,
  type CommandAck,
  createCircleState,
  type CreateCircleBody,
  DEFAULT_TEMPLATE,
  decide,
  type PatchCircleBody,
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
import { admit, holdsSeat, type JoinResult, parseJoinAuth, refuse, revokeRemoved, seatConnection } from './admission.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import type { MediaProvider } from './media/media-provider.js';
import { gatheringChanges, scheduleProblem, summaryOf } from './gatherings.js';
import {
  hashSecret,
  newCircleId,
  newFacilitatorKey,
  secretMatches,
} from './secrets.js';
import type { CircleRecord, CircleStore } from './store/circle-store.js';
import { type Departure, DepartureGatherer } from './departures.js';
import { LiveRecords } from './live-records.js';
import { type WakeUpScheduler, type WakeUpSchedulerFactory, WakeUps } from './wake-ups.js';

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
  /**
   * Whether this process is the store's only writer (default true: SQLite, memory), so changes and
   * reads may use its live records. False when other processes change the same circles (Redis).
   */
  soleWriter?: boolean;
  /** Where wake-ups wait: this process's timers by default; Redis when several processes share the circles. */
  wakeUps?: WakeUpSchedulerFactory;
}

/** A facilitator's edit or deletion over HTTP, refused with the status the route answers. */
export type KeyedResult<T> = { ok: true; value: T } | { ok: false; status: 403 | 404 | 400; message: string };

/** How often the retention sweep runs (and once at start-up). */

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
  private readonly wakeUps: WakeUpScheduler;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Each live circle's last committed record: the hot path decides on it without a store read. */
  private readonly live = new LiveRecords();
  /** Per circle, departures gathered while the first of them waits for the circle's lock. */
  private readonly departures = new DepartureGatherer();
  private broadcaster: CircleBroadcaster = { state() {}, gesture() {}, disconnect() {} };
  constructor(private readonly deps: CircleServiceDeps) {
    const schedulerFor = deps.wakeUps ?? ((fire) => new WakeUps(deps.clock, fire));
    this.wakeUps = schedulerFor((circleId, command) =>
      this.system(circleId, command).catch((error: unknown) => {
        this.deps.logger.error({ err: error, circleId, command: command.type }, 'scheduled change failed');
      }),
    );
  }

  /** Delete a circle for retention when `expired(record)` holds, inside its lock; true when it went. */
  async discardIf(circleId: string, expired: (record: CircleRecord) => boolean): Promise<boolean> {
    return this.discard(circleId, (record) => {
      const gone = record !== null && expired(record);
      return { discard: gone, result: gone };
    });
  }

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
        gathering: gatheringChanges(body, null),
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
    const record = await this.read(circleId);
    if (!record) return null;
    return summaryOf(record.state);
  }

  /** Every stored circle's state (for the public calendar, which keeps only the listed ones). */
  async states(): Promise<CircleState[]> {
    const states: CircleState[] = [];
    for (const id of await this.deps.store.listIds()) {
      const record = await this.deps.store.get(id);
      if (record) states.push(record.state);
    }
    return states;
  }

  /**
   * `PATCH /api/circles/:circleId`: the facilitator edits the title, question or schedule — a
   * server-side change (`circle.update`) through the circle's pipeline, so `version` rises by 1 and a
   * snapshot goes out. The key is checked inside the lock.
   */
  async update(circleId: string, facilitatorKey: string, edit: { body: PatchCircleBody } | { problem: string }): Promise<KeyedResult<CircleSummary>> {
    return this.transact(circleId, (record): Step<KeyedResult<CircleSummary>> => {
      const refusal = keyRefusal(record, facilitatorKey);
      if (refusal || !record) return { record: null, effects: [], result: refusal ?? { ok: false, status: 404, message: TRANSPORT_REFUSALS.noSuchCircle.message } };
      // A malformed body is reported only to the circle's facilitator (401 → 404 → 403 → 400).
      if ('problem' in edit) return { record: null, effects: [], result: { ok: false, status: 400, message: edit.problem } };
      const { body } = edit;
      // Sending back the current (now past) start unchanged is not a new schedule.
      const problem = scheduleProblem(body.startsAt, this.deps.clock.now(), record.state.gathering.startsAt);
      if (problem) return { record: null, effects: [], result: { ok: false, status: 400, message: problem } };
      const decision = this.decideSystem(record.state, {
        type: 'circle.update',
        ...(body.title === undefined ? {} : { title: body.title }),
        ...(body.question === undefined ? {} : { question: body.question }),
        gathering: gatheringChanges(body, record.state.gathering),
      });
      if (!decision.ok) return { record: null, effects: [], result: { ok: false, status: 400, message: decision.rejection.message } };
      const result = { ok: true as const, value: summaryOf(decision.state) };
      return { record: decision.changed ? { ...record, state: decision.state } : null, effects: decision.effects, result };
    });
  }

  /** `DELETE /api/circles/:circleId`: the facilitator closes the circle for good. */
  async remove(circleId: string, facilitatorKey: string): Promise<KeyedResult<null>> {
    return this.discard<KeyedResult<null>>(circleId, (record) => {
      const refusal = keyRefusal(record, facilitatorKey);
      return refusal ? { discard: false, result: refusal } : { discard: true, result: { ok: true, value: null } };
    });
  }

  async state(circleId: string): Promise<CircleState | null> {
    return (await this.read(circleId))?.state ?? null;
  }

  /** A circle's record outside a change: this process's live record when it may trust it, else the store's. */
  private async read(circleId: string): Promise<CircleRecord | null> {
    return this.trustedLive(circleId) ?? (await this.deps.store.get(circleId));
  }

  /**
   * This process's live record of a circle, when it may be trusted: only as the store's sole
   * writer. With other writers (Redis), a decision that changes nothing would never meet the
   * compare-and-set that catches a stale record, so every change reads the store.
   */
  private trustedLive(circleId: string): CircleRecord | undefined {
    return this.deps.soleWriter === false ? undefined : this.live.get(circleId);
  }

  /**
   * Seat a newcomer or resume a member, checking the handshake in PROTOCOL.md's order. `onSeated`
   * runs inside the circle's lock, right after the change is saved: the connection layer claims the
   * member's seat there, before any departure of an older connection can be handled. `connectionId`
   * (unique across processes) is saved as the seat's holder with the same change.
   */
  async join(auth: unknown, onSeated?: (result: Extract<JoinResult, { ok: true }>) => void, connectionId?: string): Promise<JoinResult> {
    const parsed = parseJoinAuth(auth);
    const circleId = parsed.ok ? parsed.auth.circleId : parsed.circleId;
    if (circleId === null || !(await this.read(circleId))) return refuse('not_found');
    if (!parsed.ok) return refuse('invalid');
    return this.transact(circleId, (record) => {
      if (!record) return { record: null, effects: [], result: refuse('not_found') };
      const admitted = admit(record, parsed.auth, (state, command) => this.decideSystem(state, command), this.deps.clock.now(), this.deps.holderGraceMs);
      const admission = connectionId === undefined ? admitted : seatConnection(record, admitted, connectionId);
      const { result } = admission;
      return { ...admission, afterCommit: result.ok ? () => onSeated?.(result) : undefined };
    });
  }

  /**
   * A member's connection closed: they are away, and their grace period starts — unless
   * `stillTheirs()`, asked inside the circle's lock, says a newer connection has their seat now, or
   * the record names another `connectionId` as the seat's holder (one on another process).
   */
  async leave(circleId: string, participantId: string, stillTheirs: () => boolean = () => true, connectionId?: string): Promise<void> {
    const departure: Departure = { participantId, stillTheirs, ...(connectionId === undefined ? {} : { connectionId }) };
    return this.departures.add(circleId, departure, (take) =>
      this.transact(circleId, (record) => {
        const batch = take();
        if (!record) return { record: null, effects: [], result: undefined };
        let state = record.state;
        const effects: Effect[] = [];
        for (const { participantId: id, stillTheirs: theirs, connectionId: connection } of batch) {
          if (!theirs() || !holdsSeat(record, id, connection)) continue;
          const decision = this.decideSystem(state, { type: 'member.leave', participantId: id });
          if (!decision.ok) continue;
          effects.push(...decision.effects);
          state = decision.state;
        }
        return { record: state === record.state ? null : { ...record, state }, effects, result: undefined };
      }),
    );
  }

  /** Whether a member is one of the circle's facilitators now. */
  async isFacilitator(circleId: string, participantId: string): Promise<boolean> {
    return (await this.state(circleId))?.participants.some((p) => p.id === participantId && p.role === 'facilitator') ?? false;
  }

  /** A member's command; `onChanged` runs once it changed the circle and the change is saved. */
  async command(circleId: string, participantId: string, command: CircleCommand, onChanged?: () => void): Promise<CommandAck> {
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
      return { record: { state: decision.state, secrets: revokeRemoved(record, decision.effects) }, effects: decision.effects, result, afterCommit: onChanged };
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
    this.wakeUps.close();
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
        const current = this.trustedLive(circleId) ?? (await this.deps.store.get(circleId));
        const outcome = step(current);
        if (outcome.record && current) {
          // A write that throws leaves nothing to trust in memory either: the next change reads the store.
          const saved = await this.deps.store.compareAndSet(circleId, current.state.version, outcome.record).catch((error: unknown) => {
            this.live.forget(circleId);
            throw error;
          });
          if (!saved) {
            // Another process changed the circle: decide again on the stored record.
            this.live.forget(circleId);
            if (attempt >= MAX_COMMIT_ATTEMPTS) throw new Error(`circle ${circleId}: too many concurrent writers`);
            continue;
          }
          if (this.deps.soleWriter !== false) this.live.remember(outcome.record);
          outcome.afterCommit?.();
          this.broadcaster.state(outcome.record.state);
          // Places change only while breakouts are open, or as they open or close.
          if (current.state.breakouts !== null || outcome.record.state.breakouts !== null) this.followPlaces(outcome.record.state);
          this.runEffects(outcome.record.state, outcome.effects);
        } else if (current) {
          if (this.deps.soleWriter !== false) this.live.remember(current);
          outcome.afterCommit?.();
          this.runEffects(current.state, outcome.effects);
        }
        return outcome.result;
      }
    });
  }

  /**
   * A circle's end (deleted by its facilitator, or swept away): inside its lock, the record and its
   * secrets are deleted, then every member is sent away with `closed` and its wake-ups are cancelled.
   */
  private async discard<T>(circleId: string, step: (record: CircleRecord | null) => { discard: boolean; result: T }): Promise<T> {
    return this.withLock(circleId, async () => {
      const current = await this.deps.store.get(circleId);
      const { discard, result } = step(current);
      if (!discard || !current) return result;
      await this.deps.store.delete(circleId);
      this.live.forget(circleId);
      this.wakeUps.forget(circleId);
      for (const participant of current.state.participants) {
        this.broadcaster.disconnect(circleId, participant.id, 'closed');
        this.deps.media.removeParticipant(circleId, participant.id).catch((error: unknown) => {
          this.deps.logger.warn({ err: error, circleId }, 'media removal failed');
        });
      }
      return result;
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
          this.wakeUps.schedule(state.id, effect.at, effect.command);
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
}

/** The facilitator key of an HTTP edit: 404 for no circle, 403 for a wrong key, null when it matches (constant time). */
function keyRefusal(record: CircleRecord | null, facilitatorKey: string): Extract<KeyedResult<never>, { ok: false }> | null {
  if (!record) return { ok: false, status: 404, message: TRANSPORT_REFUSALS.noSuchCircle.message };
  if (!secretMatches(facilitatorKey, record.secrets.facilitatorKeyHash)) {
    return { ok: false, status: 403, message: 'This facilitator key is not valid for this circle.' };
  }
  return null;
}

const notFound = (): CommandAck => refused(TRANSPORT_REFUSALS.noSuchCircle);
