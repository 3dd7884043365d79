import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { startRedisServer, type RedisServer } from '../testing/redis-server.js';
import { ProcessPresence } from './process-presence.js';

let redis: RedisServer;
let prefixes = 0;
const clients: Redis[] = [];
const presences: ProcessPresence[] = [];
beforeAll(async () => {
  redis = await startRedisServer();
});
afterEach(async () => {
  await Promise.all(presences.splice(0).map((p) => p.stop()));
  await Promise.all(clients.splice(0).map((c) => c.quit()));
});
afterAll(async () => {
  await redis?.dispose();
});

const until = async (check: () => boolean, ms = 5_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** One "process": its presence, and what it was asked to do. */
function processFor(prefix: string, ttlMs = 1_000) {
  const client = new Redis(redis.url);
  clients.push(client);
  const left: string[] = [];
  const events = { declaredDead: 0, recovered: 0 };
  const presence = new ProcessPresence({
    redis: client,
    prefix,
    logger: createLogger('silent'),
    ttlMs,
    leave: async (circleId, participantId, connectionId) => void left.push(`${circleId}/${participantId}/${connectionId}`),
    onDeclaredDead: () => void events.declaredDead++,
  });
  presences.push(presence);
  const start = () => presence.start(async () => void events.recovered++);
  return { client, presence, left, events, start };
}

describe('ProcessPresence', () => {
  it('only the first process of a cluster recovers at start-up; one joining a running cluster does not', async () => {
    const prefix = `p${++prefixes}:`;
    const a = processFor(prefix);
    const b = processFor(prefix);
    expect(await a.start()).toEqual({ alone: true });
    expect(await b.start()).toEqual({ alone: false });
    expect(a.events.recovered).toBe(1);
    expect(b.events.recovered).toBe(0);
  });

  it("a dead process's seats are marked away by exactly one survivor, and it learns it was taken for dead", async () => {
    const prefix = `p${++prefixes}:`;
    // A beats every 1.6 s (TTL 8 s); the others sweep every 200 ms.
    const a = processFor(prefix, 8_000);
    const b = processFor(prefix);
    const c = processFor(prefix);
    await a.start();
    await b.start();
    await c.start();
    a.presence.held('circle1', 'p_ada', 'conn-ada');
    a.presence.held('circle1', 'p_bea', 'conn-bea');
    a.presence.released('circle1', 'p_bea', 'conn-bea');
    await new Promise((r) => setTimeout(r, 100));
    // A's heartbeat lapses (as when it is frozen or killed): the key is gone before A's next beat.
    await a.client.del(`${prefix}process:${a.presence.id}`);
    await until(() => b.left.length + c.left.length > 0);
    await new Promise((r) => setTimeout(r, 600));
    // One survivor, once; only the seat A still held.
    expect([...b.left, ...c.left]).toEqual(['circle1/p_ada/conn-ada']);
    expect(a.left).toEqual([]);
    // A was not dead after all: at its next heartbeat it learns, and its connections must reconnect.
    await until(() => a.events.declaredDead === 1);
  });

  it('a process that stops cleanly leaves no seats for the others to mark away', async () => {
    const prefix = `p${++prefixes}:`;
    const a = processFor(prefix);
    const b = processFor(prefix);
    await a.start();
    await b.start();
    a.presence.held('circle1', 'p_cy', 'conn-cy');
    await new Promise((r) => setTimeout(r, 50));
    await a.presence.stop();
    await new Promise((r) => setTimeout(r, 1_500));
    expect(b.left).toEqual([]);
    expect(await b.client.smembers(`${prefix}processes`)).toEqual([b.presence.id]);
  });
});
