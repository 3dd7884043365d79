/**
 * Which Spiral processes are alive, and which seats each one's connections hold (STORE=redis).
 *
 * Each process keeps a heartbeat key with a TTL and a set of the seats its connections hold. When a
 * process dies (kill -9, a lost machine) its heartbeat expires; the first survivor to notice claims it
 * (an atomic Lua script: exactly one survivor does) and marks its members away — each only while that
 * dead connection is still the seat's holder, so members who already reconnected elsewhere stay.
 *
 * At start-up, under a short Redis lock, a process that finds no other alive runs the single-process
 * recovery (`server.restart` on every circle: nobody is connected after a cold start); one joining a
 * live cluster does not, so it never marks away members connected to the others.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { SeatTracker } from '../socket/member-connections.js';
import { redisScript, type RedisScript } from '../store/redis-scripts.js';

export interface ProcessPresenceOptions {
  redis: Redis;
  prefix: string;
  logger: Logger;
  /** A process silent this long is taken for dead (default 10 s); heartbeats and sweeps run 5 times as often. */
  ttlMs?: number;
  /** Mark a member away if `connectionId` still holds their seat (the circle service's `leave`). */
  leave(circleId: string, participantId: string, connectionId: string): Promise<void>;
  /**
   * This process was taken for dead (its heartbeat lapsed: a long Redis outage, a frozen process):
   * its members have been marked away, so its connections must reconnect to be seated again.
   */
  onDeclaredDead(): void;
}

const SEP = '\u0000';

export class ProcessPresence implements SeatTracker {
  readonly id = randomUUID();
  private readonly beatScript: RedisScript;
  private readonly claimScript: RedisScript;
  private readonly releaseLockScript: RedisScript;
  private readonly stopScript: RedisScript;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private registered = false;
  private stopped = false;

  constructor(private readonly options: ProcessPresenceOptions) {
    const { redis } = options;
    this.beatScript = redisScript(redis, 2, BEAT_LUA);
    this.claimScript = redisScript(redis, 3, CLAIM_LUA);
    this.releaseLockScript = redisScript(redis, 1, RELEASE_LOCK_LUA);
    this.stopScript = redisScript(redis, 3, STOP_LUA);
  }

  private get ttlMs(): number {
    return this.options.ttlMs ?? 10_000;
  }
  private get processesKey(): string {
    return `${this.options.prefix}processes`;
  }
  private heartbeatKey(id: string): string {
    return `${this.options.prefix}process:${id}`;
  }
  private seatsKey(id: string): string {
    return `${this.options.prefix}process:${id}:seats`;
  }

  /**
   * Join the cluster: under the start-up lock, run `recoverIfAlone` when no other process is alive,
   * then keep the heartbeat and sweep for dead processes every `ttlMs / 5`.
   */
  async start(recoverIfAlone: () => Promise<unknown>): Promise<{ alone: boolean }> {
    const { redis, prefix, logger } = this.options;
    const lockKey = `${prefix}startup-lock`;
    const deadline = Date.now() + 60_000;
    while ((await redis.set(lockKey, this.id, 'PX', 60_000, 'NX')) !== 'OK') {
      if (Date.now() > deadline) {
        logger.warn('start-up lock still held after 60 s: starting anyway');
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    let alone = true;
    try {
      for (const other of await redis.smembers(this.processesKey)) {
        if (other !== this.id && (await redis.exists(this.heartbeatKey(other))) === 1) alone = false;
      }
      await this.beat();
      if (alone) await recoverIfAlone();
    } finally {
      await this.releaseLockScript([lockKey], [this.id]);
    }
    logger.info({ processId: this.id, alone }, alone ? 'first process of the cluster: circles recovered' : 'joined a running cluster');
    this.timer = setInterval(() => {
      if (!this.ticking) this.ticking = this.tick().finally(() => (this.ticking = undefined));
    }, Math.max(50, Math.floor(this.ttlMs / 5)));
    this.timer.unref();
    return { alone };
  }

  held(circleId: string, participantId: string, connectionId: string): void {
    this.options.redis.sadd(this.seatsKey(this.id), [circleId, participantId, connectionId].join(SEP)).catch((error: unknown) => {
      this.options.logger.warn({ err: error, circleId }, 'could not record a held seat');
    });
  }

  released(circleId: string, participantId: string, connectionId: string): void {
    this.options.redis.srem(this.seatsKey(this.id), [circleId, participantId, connectionId].join(SEP)).catch((error: unknown) => {
      this.options.logger.warn({ err: error, circleId }, 'could not record a released seat');
    });
  }

  /** One heartbeat, then one sweep. */
  private async tick(): Promise<void> {
    try {
      await this.beat();
      await this.sweep();
    } catch (error) {
      this.options.logger.warn({ err: error }, 'cluster heartbeat failed (Redis unavailable?)');
    }
  }

  private async beat(): Promise<void> {
    if (this.stopped) return;
    const wasMember = await this.beatScript([this.heartbeatKey(this.id), this.processesKey], [this.id, this.ttlMs]);
    if (this.registered && wasMember === 0) {
      this.options.logger.warn({ processId: this.id }, 'this process was taken for dead: its connections reconnect');
      this.options.onDeclaredDead();
    }
    this.registered = true;
  }

  /** Claim every process whose heartbeat expired and mark its members away; how many were claimed. */
  async sweep(): Promise<number> {
    const { redis, logger } = this.options;
    let claimed = 0;
    for (const other of await redis.smembers(this.processesKey)) {
      if (other === this.id) continue;
      const seats = await this.claimScript([this.heartbeatKey(other), this.processesKey, this.seatsKey(other)], [other]);
      if (!Array.isArray(seats)) continue;
      claimed++;
      logger.warn({ processId: other, seats: seats.length }, 'a process died: its members are marked away');
      for (const seat of seats) {
        if (typeof seat !== 'string') continue;
        const [circleId, participantId, connectionId] = seat.split(SEP);
        if (!circleId || !participantId || !connectionId) continue;
        await this.options.leave(circleId, participantId, connectionId).catch((error: unknown) => {
          logger.error({ err: error, circleId }, 'could not mark a dead process member away');
        });
      }
    }
    return claimed;
  }

  /** Leave the cluster (after this process's connections have closed and their departures are saved). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    await this.stopScript([this.heartbeatKey(this.id), this.processesKey, this.seatsKey(this.id)], [this.id]).catch((error: unknown) => {
      this.options.logger.warn({ err: error }, 'could not leave the cluster cleanly');
    });
  }
}

// KEYS: heartbeat, processes · ARGV: id, ttl → 1 when this process was still listed
const BEAT_LUA = `
local listed = redis.call('SISMEMBER', KEYS[2], ARGV[1])
redis.call('SET', KEYS[1], '1', 'PX', ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
return listed`;

// KEYS: dead's heartbeat, processes, dead's seats · ARGV: dead id → its seats, or nil if alive or claimed already
const CLAIM_LUA = `
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
if redis.call('SREM', KEYS[2], ARGV[1]) == 0 then return false end
local seats = redis.call('SMEMBERS', KEYS[3])
redis.call('DEL', KEYS[3])
return seats`;

const RELEASE_LOCK_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

// KEYS: heartbeat, processes, seats · ARGV: id
const STOP_LUA = `
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
redis.call('DEL', KEYS[3])
return 1`;
