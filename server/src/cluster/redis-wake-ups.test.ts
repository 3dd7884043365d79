import type { SystemCommand } from '@spiral/shared';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../clock.js';
import { createLogger } from '../logger.js';
import { startRedisServer, type RedisServer } from '../testing/redis-server.js';
import { RedisWakeUps } from './redis-wake-ups.js';

let redis: RedisServer;
let prefixes = 0;
const clients: Redis[] = [];
const schedulers: RedisWakeUps[] = [];
beforeAll(async () => {
  redis = await startRedisServer();
});
afterEach(async () => {
  schedulers.splice(0).forEach((s) => s.close());
  await Promise.all(clients.splice(0).map((c) => c.quit()));
});
afterAll(async () => {
  await redis?.dispose();
});

/** A clock the test moves; the schedulers poll it (their polling interval is real, 20 ms). */
function manualClock(start = 1_000_000): Clock & { set(t: number): void } {
  let now = start;
  return { now: () => now, setTimeout: () => ({ cancel() {} }), set: (t) => (now = t) };
}

/** One "process": its own Redis connection and scheduler, recording what it fired. */
function processFor(prefix: string, clock: Clock, leaseMs = 30_000) {
  const client = new Redis(redis.url);
  clients.push(client);
  const fired: { circleId: string; command: SystemCommand }[] = [];
  const scheduler = new RedisWakeUps({ redis: client, prefix, clock, logger: createLogger('silent'), pollMs: 20, leaseMs }, (circleId, command) => {
    fired.push({ circleId, command });
  });
  schedulers.push(scheduler);
  return { scheduler, fired };
}

const until = async (check: () => boolean, ms = 3_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};
const settle = (ms = 200) => new Promise((r) => setTimeout(r, ms));

describe('RedisWakeUps', () => {
  it('fires a due wake-up exactly once across two processes, and not before it is due', async () => {
    const prefix = `w${++prefixes}:`;
    const clock = manualClock();
    const a = processFor(prefix, clock);
    const b = processFor(prefix, clock);
    const command: SystemCommand = { type: 'timer.finish', endsAt: 1_005_000 };
    a.scheduler.schedule('c1', 1_005_000, command);
    await settle();
    expect(a.fired.length + b.fired.length).toBe(0);
    clock.set(1_005_000);
    await until(() => a.fired.length + b.fired.length > 0);
    await settle(300);
    expect([...a.fired, ...b.fired]).toEqual([{ circleId: 'c1', command }]);
  });

  it('a wake-up scheduled by a process that then stops still fires on another', async () => {
    const prefix = `w${++prefixes}:`;
    const clock = manualClock();
    const a = processFor(prefix, clock);
    a.scheduler.schedule('c1', 1_000_500, { type: 'presence.grace-end', participantId: 'p_a', awaySince: 1_000_000 } as SystemCommand);
    a.scheduler.close();
    const b = processFor(prefix, clock);
    clock.set(1_001_000);
    await until(() => b.fired.length === 1);
    expect(a.fired).toEqual([]);
    expect(b.fired[0]?.circleId).toBe('c1');
  });

  it('a newer wake-up for the same purpose replaces the older, and a forgotten circle wakes no more', async () => {
    const prefix = `w${++prefixes}:`;
    const clock = manualClock();
    const a = processFor(prefix, clock);
    a.scheduler.schedule('c1', 1_000_100, { type: 'timer.finish', endsAt: 1_000_100 });
    a.scheduler.schedule('c1', 1_000_200, { type: 'timer.finish', endsAt: 1_000_200 });
    a.scheduler.schedule('c2', 1_000_100, { type: 'silence.finish', endsAt: 1_000_100 });
    a.scheduler.forget('c2');
    await settle(100);
    clock.set(1_000_300);
    await until(() => a.fired.length === 1);
    await settle(200);
    expect(a.fired).toEqual([{ circleId: 'c1', command: { type: 'timer.finish', endsAt: 1_000_200 } }]);
  });

  it('a claim whose process died before finishing comes due again after its lease', async () => {
    const prefix = `w${++prefixes}:`;
    const clock = manualClock();
    const client = new Redis(redis.url);
    clients.push(client);
    // A process that claims and never finishes: its fire never settles.
    const stuck = new RedisWakeUps({ redis: client, prefix, clock, logger: createLogger('silent'), pollMs: 20, leaseMs: 5_000 }, () => new Promise(() => {}));
    schedulers.push(stuck);
    stuck.schedule('c1', 1_000_000, { type: 'timer.finish', endsAt: 1_000_000 });
    await settle(150);
    stuck.close();
    const b = processFor(prefix, clock, 5_000);
    await settle(150);
    expect(b.fired).toEqual([]);
    clock.set(1_005_001);
    await until(() => b.fired.length === 1);
  });
});
