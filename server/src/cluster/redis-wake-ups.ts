/**
 * Wake-ups shared by every process (STORE=redis): a sorted set of due times, claimed by an atomic Lua
 * script so that exactly one process runs each one. A claim is a lease: the claimer's wake-up moves
 * `leaseMs` into the future and is deleted once its change is saved; a process that dies holding it
 * lets it come due again for another. A repeated wake-up is harmless anyway: each carries the time or
 * the breakouts it is for, and `decide` ignores a stale one.
 */
import type { SystemCommand } from '@spiral/shared';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { redisScript, type RedisScript } from '../store/redis-scripts.js';
import { type FireWakeUp, type WakeUpScheduler, wakeUpKey } from '../wake-ups.js';

export interface RedisWakeUpsOptions {
  redis: Redis;
  prefix: string;
  clock: Clock;
  logger: Logger;
  /** How often due wake-ups are claimed (default 100 ms: a timer's end is seen within about that). */
  pollMs?: number;
  /** How long a claimed wake-up is this process's before another may take it (default 30 s). */
  leaseMs?: number;
}

/** The commands a wake-up may carry (what `decide` schedules), checked when read back from Redis. */
const SCHEDULED = new Set<SystemCommand['type']>(['presence.grace-end', 'timer.finish', 'silence.finish', 'breakout.recall', 'breakout.finish']);
const payloadSchema = z.object({ circleId: z.string().min(1), command: z.looseObject({ type: z.string() }) });

const CLAIM_BATCH = 50;

export class RedisWakeUps implements WakeUpScheduler {
  private readonly scheduleScript: RedisScript;
  private readonly claimScript: RedisScript;
  private readonly doneScript: RedisScript;
  private readonly forgetScript: RedisScript;
  private readonly timer: NodeJS.Timeout;
  private polling: Promise<void> | undefined;
  private closed = false;
  private readonly zset: string;
  private readonly payloads: string;

  constructor(
    private readonly options: RedisWakeUpsOptions,
    private readonly fire: FireWakeUp,
  ) {
    const { redis, prefix } = options;
    this.zset = `${prefix}wakeups`;
    this.payloads = `${prefix}wakeups:payload`;
    this.scheduleScript = redisScript(redis, 3, SCHEDULE_LUA);
    this.claimScript = redisScript(redis, 2, CLAIM_LUA);
    this.doneScript = redisScript(redis, 3, DONE_LUA);
    this.forgetScript = redisScript(redis, 3, FORGET_LUA);
    this.timer = setInterval(() => {
      if (!this.polling) this.polling = this.poll().then(() => undefined).finally(() => (this.polling = undefined));
    }, options.pollMs ?? 100);
    this.timer.unref();
  }

  private circleKeys(circleId: string): string {
    return `${this.options.prefix}wakeups:circle:${circleId}`;
  }

  schedule(circleId: string, at: number, command: SystemCommand): void {
    if (this.closed) return;
    const payload = JSON.stringify({ circleId, command });
    this.scheduleScript([this.zset, this.payloads, this.circleKeys(circleId)], [wakeUpKey(circleId, command), at, payload]).catch((error: unknown) => {
      this.options.logger.error({ err: error, circleId, command: command.type }, 'could not schedule a wake-up');
    });
  }

  forget(circleId: string): void {
    this.forgetScript([this.zset, this.payloads, this.circleKeys(circleId)], []).catch((error: unknown) => {
      this.options.logger.error({ err: error, circleId }, 'could not forget wake-ups');
    });
  }

  /** Claim what is due now and run it; each claimed wake-up is deleted once its change has run. */
  async poll(): Promise<number> {
    if (this.closed) return 0;
    const now = this.options.clock.now();
    const lease = now + (this.options.leaseMs ?? 30_000);
    let claimed: unknown;
    try {
      claimed = await this.claimScript([this.zset, this.payloads], [now, lease, CLAIM_BATCH]);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not claim wake-ups (Redis unavailable?)');
      return 0;
    }
    const flat = Array.isArray(claimed) ? claimed.filter((item): item is string => typeof item === 'string') : [];
    const runs: Promise<void>[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) runs.push(this.run(flat[i]!, flat[i + 1]!, lease));
    await Promise.all(runs);
    return runs.length;
  }

  private async run(key: string, json: string, lease: number): Promise<void> {
    let parsed: z.infer<typeof payloadSchema> | undefined;
    try {
      const result = payloadSchema.safeParse(JSON.parse(json));
      if (result.success) parsed = result.data;
    } catch {
      parsed = undefined;
    }
    const circleId = parsed?.circleId;
    const command = parsed?.command;
    if (circleId !== undefined && command !== undefined && SCHEDULED.has(command.type as SystemCommand['type'])) {
      await this.fire(circleId, command as SystemCommand);
    } else {
      this.options.logger.error({ key }, 'dropped an unreadable wake-up');
    }
    await this.doneScript([this.zset, this.payloads, this.circleKeys(circleId ?? '')], [key, lease, json]).catch((error: unknown) => {
      this.options.logger.warn({ err: error, circleId }, 'could not clear a wake-up (it will run again, harmlessly)');
    });
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
  }

  /** Wait for a poll under way (its changes are saved by the circle service's own close). */
  async drain(): Promise<void> {
    await this.polling;
  }
}

// KEYS: zset, payloads, circle's keys · ARGV: key, at, payload
const SCHEDULE_LUA = `
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('SADD', KEYS[3], ARGV[1])
return 1`;

// KEYS: zset, payloads · ARGV: now, lease, batch → [key, payload, key, payload, ...]
const CLAIM_LUA = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, k in ipairs(due) do
  local p = redis.call('HGET', KEYS[2], k)
  if p then
    redis.call('ZADD', KEYS[1], ARGV[2], k)
    table.insert(out, k)
    table.insert(out, p)
  else
    redis.call('ZREM', KEYS[1], k)
  end
end
return out`;

// KEYS: zset, payloads, circle's keys · ARGV: key, lease, payload — only if not rescheduled meanwhile
const DONE_LUA = `
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if s and tonumber(s) == tonumber(ARGV[2]) and redis.call('HGET', KEYS[2], ARGV[1]) == ARGV[3] then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('SREM', KEYS[3], ARGV[1])
  return 1
end
return 0`;

// KEYS: zset, payloads, circle's keys
const FORGET_LUA = `
local ks = redis.call('SMEMBERS', KEYS[3])
for _, k in ipairs(ks) do
  redis.call('ZREM', KEYS[1], k)
  redis.call('HDEL', KEYS[2], k)
end
redis.call('DEL', KEYS[3])
return #ks`;
