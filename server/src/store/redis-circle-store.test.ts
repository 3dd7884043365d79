import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../testing/redis-server.js';
import { describeCircleStoreContract, sampleRecord } from './circle-store.contract.js';
import { RedisCircleStore } from './redis-circle-store.js';

let redis: RedisServer;
let storeCount = 0;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.dispose();
});

// Each store gets its own key prefix in the one redis-server, so the contract's tests never see each other's circles.
const newStore = () => new RedisCircleStore(new Redis(redis.url, { lazyConnect: false }), `test${++storeCount}:`, true);

describeCircleStoreContract('RedisCircleStore', newStore);

describe('RedisCircleStore across clients and restarts', () => {
  it('a compare-and-set from a second client (another process) makes the first one stale', async () => {
    const prefix = `shared${++storeCount}:`;
    const a = new RedisCircleStore(new Redis(redis.url), prefix, true);
    const b = new RedisCircleStore(new Redis(redis.url), prefix, true);
    try {
      const record = sampleRecord('c1');
      expect(await a.create(record)).toBe(true);
      const next = { ...record, state: { ...record.state, version: 2, title: 'From B' } };
      expect(await b.compareAndSet('c1', 1, next)).toBe(true);
      expect(await a.compareAndSet('c1', 1, { ...record, state: { ...record.state, version: 2, title: 'From A' } })).toBe(false);
      expect((await a.get('c1'))?.state.title).toBe('From B');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('keeps every acknowledged write across a kill -9 of redis-server (append-only, fsync always)', async () => {
    const prefix = `durable${++storeCount}:`;
    const client = new Redis(redis.url, { maxRetriesPerRequest: null });
    const store = new RedisCircleStore(client, prefix, true);
    try {
      const record = sampleRecord('d1');
      await store.create(record);
      expect(await store.compareAndSet('d1', 1, { ...record, state: { ...record.state, version: 2, title: 'Acked' } })).toBe(true);
      await redis.kill9();
      await redis.restart();
      expect((await store.get('d1'))?.state).toMatchObject({ version: 2, title: 'Acked' });
      expect(await store.listIds()).toEqual(['d1']);
    } finally {
      await store.close();
    }
  });

  it('reports a corrupt record instead of returning it', async () => {
    const prefix = `corrupt${++storeCount}:`;
    const client = new Redis(redis.url);
    const store = new RedisCircleStore(client, prefix, true);
    try {
      await store.create(sampleRecord('bad'));
      await client.hset(`${prefix}circle:bad`, 'r', '{"state":{}}');
      await expect(store.get('bad')).rejects.toThrow(/not a valid record/);
    } finally {
      await store.close();
    }
  });
});
