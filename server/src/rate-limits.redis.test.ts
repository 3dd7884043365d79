import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinRateLimit, memoryLimiters, redisLimiters } from './rate-limits.js';
import { startRedisServer, type RedisServer } from './testing/redis-server.js';

let redis: RedisServer;
const clients: Redis[] = [];
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit().catch(() => undefined)));
  clients.forEach((c) => c.disconnect());
  await redis?.dispose();
});
/** A connected client (a limiter on a client still connecting counts in memory, as during an outage). */
const client = async () => {
  const c = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  c.on('error', () => undefined);
  clients.push(c);
  await c.ping();
  return c;
};
const allowedOf = async (limit: ReturnType<typeof joinRateLimit>, key: string, n: number) => {
  let count = 0;
  for (let i = 0; i < n; i++) if (await limit.allow(key)) count++;
  return count;
};

describe('limits per address shared through Redis', () => {
  it('two processes share one join budget per address', async () => {
    const a = joinRateLimit(5, redisLimiters(await client(), 'shared1:'));
    const b = joinRateLimit(5, redisLimiters(await client(), 'shared1:'));
    expect(await allowedOf(a, '203.0.113.9', 3)).toBe(3);
    // Process B sees the three spent on A: only two more, then refused.
    expect(await allowedOf(b, '203.0.113.9', 4)).toBe(2);
    expect(await a.allow('203.0.113.9')).toBe(false);
    // Another address has its own budget.
    expect(await b.allow('198.51.100.1')).toBe(true);
  });

  it('memory limits stay per process', async () => {
    const a = joinRateLimit(2, memoryLimiters);
    const b = joinRateLimit(2, memoryLimiters);
    expect(await allowedOf(a, 'x', 3)).toBe(2);
    expect(await allowedOf(b, 'x', 3)).toBe(2);
  });

  it('while Redis is down each process still limits in memory, then shares again once it is back', async () => {
    const c = await client();
    const limit = joinRateLimit(3, redisLimiters(c, 'outage:'));
    expect(await limit.allow('addr')).toBe(true);
    await redis.stop();
    await new Promise((r) => setTimeout(r, 100));
    // The insurance limiter counts from zero in memory: 3 allowed, then refused — never unlimited.
    expect(await allowedOf(limit, 'addr', 5)).toBe(3);
    await redis.restart();
    for (let i = 0; i < 100 && c.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(c.status).toBe('ready');
    // Redis remembered the one spent before the outage (append-only file): two left.
    expect(await allowedOf(limit, 'addr', 4)).toBe(2);
  });
});
