import type { Redis } from 'ioredis';
import { type CircleRecord, type CircleStore, parseStoredRecord } from './circle-store.js';
import { redisScript, type RedisScript } from './redis-scripts.js';

/**
 * Circles in Redis, shared by every Spiral process: one hash per circle (`v`: the version, `r`: the
 * record's JSON) and one set of ids. Compare-and-set is a Lua script comparing the stored version,
 * so it is atomic across processes; records are copied in and out as JSON, as with SQLite.
 */
export class RedisCircleStore implements CircleStore {
  private readonly createScript: RedisScript;
  private readonly casScript: RedisScript;
  private readonly deleteScript: RedisScript;

  /** `prefix` namespaces every key (several deployments may share one Redis). */
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'spiral:',
    private readonly ownsClient = false,
  ) {
    this.createScript = redisScript(redis, 2, CREATE_LUA);
    this.casScript = redisScript(redis, 1, CAS_LUA);
    this.deleteScript = redisScript(redis, 2, DELETE_LUA);
  }

  private key(id: string): string {
    return `${this.prefix}circle:${id}`;
  }

  private get idsKey(): string {
    return `${this.prefix}circles`;
  }

  async get(id: string): Promise<CircleRecord | null> {
    const json = await this.redis.hget(this.key(id), 'r');
    return json === null ? null : parseStoredRecord(id, json);
  }

  async create(record: CircleRecord): Promise<boolean> {
    const id = record.state.id;
    const created = await this.createScript([this.key(id), this.idsKey], [id, record.state.version, JSON.stringify(record)]);
    return created === 1;
  }

  async compareAndSet(id: string, expectedVersion: number, next: CircleRecord): Promise<boolean> {
    if (next.state.id !== id) return false;
    const saved = await this.casScript([this.key(id)], [expectedVersion, next.state.version, JSON.stringify(next)]);
    return saved === 1;
  }

  async delete(id: string): Promise<void> {
    await this.deleteScript([this.key(id), this.idsKey], [id]);
  }

  async listIds(): Promise<string[]> {
    return this.redis.smembers(this.idsKey);
  }

  /** Closes the client only when the store was given it to own (the app shares one client). */
  async close(): Promise<void> {
    if (this.ownsClient) await this.redis.quit().catch(() => undefined);
  }
}

const CREATE_LUA = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'r', ARGV[3])
redis.call('SADD', KEYS[2], ARGV[1])
return 1`;

const CAS_LUA = `
local v = redis.call('HGET', KEYS[1], 'v')
if not v or tonumber(v) ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'r', ARGV[3])
return 1`;

const DELETE_LUA = `
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
return 1`;
