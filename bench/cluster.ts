/**
 * Redis mode, one process vs two: circles served by one Spiral process, and circles spread over
 * two processes (members alternate between them, and so do the senders), each deployment with its
 * own redis-server; the load alternates between the two in blocks. Built server (`pnpm build` first);
 * everything on free 127.0.0.1 ports, stopped by PID.
 *
 *   pnpm bench:cluster
 *   BENCH_CIRCLES=20 BENCH_MEMBERS=10 BENCH_SECONDS=30 pnpm bench:cluster
 *
 * Load: one command per circle per second (a member's `name.set`), senders rotating over the
 * circle's members. Latency: from the command sent to every member of the circle holding the new
 * version. Prints p50/p95/p99 for one process and for two, the ratio (target: two-process p99 ≤ 2×
 * one-process p99), and Redis round trips per command counted with MONITOR (the idle background —
 * wake-up polling, heartbeats — measured first and subtracted).
 */
import { closeLiveMembers, joinLive, type LiveMember } from '../tests/support/reconnecting-member.js';
import { createCircle } from '../tests/support/harness.js';
import { monitorRedis, redisCommandStats } from '../tests/support/redis-server.js';
import { type RedisCluster, startRedisCluster } from '../tests/support/redis-cluster.js';

const circles = Number(process.env.BENCH_CIRCLES ?? 10);
const members = Number(process.env.BENCH_MEMBERS ?? 10);
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const counted = Number(process.env.BENCH_COUNTED ?? 50);
const blockSeconds = Number(process.env.BENCH_BLOCK_SECONDS ?? 5);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
const fmt = (values: number[]) =>
  `p50 ${percentile(values, 50).toFixed(2)} ms · p95 ${percentile(values, 95).toFixed(2)} ms · p99 ${percentile(values, 99).toFixed(2)} ms (n=${values.length})`;

/** Seat `members` in each of `circles` circles, member k on process k mod (number of processes). */
async function seat(cluster: RedisCluster): Promise<LiveMember[][]> {
  const urls = cluster.processes.map((p) => p.url);
  const rooms: LiveMember[][] = [];
  for (let c = 0; c < circles; c++) {
    const circle = await createCircle(urls[0]!, { title: `Bench ${c}` });
    const room = [await joinLive(urls[0]!, { circleId: circle.circleId, name: 'Host', facilitatorKey: circle.facilitatorKey }, { reconnect: false })];
    for (let m = 1; m < members; m++) room.push(await joinLive(urls[m % urls.length]!, { circleId: circle.circleId, name: `M${m}` }, { reconnect: false }));
    rooms.push(room);
  }
  return rooms;
}

/** One command: sent by `sender`, timed until every member holds the new version. */
async function oneCommand(room: LiveMember[], sender: LiveMember, name: string): Promise<number> {
  const t0 = performance.now();
  const ack = await sender.send({ type: 'name.set', name }, 10_000);
  if (ack === 'timeout' || !ack.ok || !('version' in ack)) throw new Error(`command failed: ${JSON.stringify(ack)}`);
  await Promise.all(room.map((m) => m.waitFor((s) => s.version >= ack.version, 10_000)));
  return performance.now() - t0;
}

/** `blockSeconds` of one command per circle per second, each circle's commands offset evenly across the second. */
async function load(rooms: LiveMember[][], blockSeconds: number, block: number): Promise<number[]> {
  const latencies: number[] = [];
  await Promise.all(
    rooms.map(async (room, c) => {
      await sleep((1_000 / rooms.length) * c);
      const start = performance.now();
      for (let i = 0; i < blockSeconds; i++) {
        const n = block * blockSeconds + i;
        latencies.push(await oneCommand(room, room[n % room.length]!, `N${n}-${c}`));
        await sleep(Math.max(0, start + (i + 1) * 1_000 - performance.now()));
      }
    }),
  );
  return latencies;
}

/** Round trips to Redis per command, from MONITOR: background per second measured idle, then subtracted. */
async function roundTrips(cluster: RedisCluster, rooms: LiveMember[][]) {
  const idleMs = 3_000;
  const idle = await monitorRedis(cluster.redis.port);
  await sleep(idleMs);
  const background = idle.stop();
  const statsBefore = await redisCommandStats(cluster.redis.port);
  const busy = await monitorRedis(cluster.redis.port);
  const t0 = performance.now();
  const room = rooms[0]!;
  for (let i = 0; i < counted; i++) await oneCommand(room, room[i % room.length]!, `R${i}`);
  const busyMs = performance.now() - t0;
  const during = busy.stop();
  const statsAfter = await redisCommandStats(cluster.redis.port);
  const net = (during: Record<string, number>, idle: Record<string, number>) => {
    const out: Record<string, number> = {};
    for (const name of new Set([...Object.keys(during), ...Object.keys(idle)])) {
      const value = ((during[name] ?? 0) - ((idle[name] ?? 0) * busyMs) / idleMs) / counted;
      if (Math.abs(value) >= 0.05) out[name] = Number(value.toFixed(2));
    }
    return out;
  };
  const clients = net(during.clients, background.clients);
  const scripts = net(during.fromScripts, background.fromScripts);
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  const stats: Record<string, number> = {};
  for (const [name, calls] of Object.entries(statsAfter)) {
    const delta = (calls - (statsBefore[name] ?? 0)) / counted;
    if (delta >= 0.05 && name !== 'info' && name !== 'monitor') stats[name] = Number(delta.toFixed(2));
  }
  // Contention: every member of one circle sends at once, half of them through each process; lost
  // compare-and-sets show up as more than one CAS script run per command.
  const bursts = 5;
  const contended = await monitorRedis(cluster.redis.port);
  const contendedFrom = performance.now();
  const burstMs: number[] = [];
  for (let b = 0; b < bursts; b++) {
    const t = performance.now();
    await Promise.all(room.map((m, i) => oneCommand(room, m, `B${b}-${i}`)));
    burstMs.push(performance.now() - t);
  }
  const burst = contended.stop();
  const burstCommands = bursts * room.length;
  const idleScripts = ((background.clients.evalsha ?? 0) * (performance.now() - contendedFrom)) / idleMs;
  const casPerCommand = ((burst.clients.evalsha ?? 0) - idleScripts) / burstCommands;
  return {
    clients,
    scripts,
    total: sum(clients),
    backgroundPerSecond: (Object.values(background.clients).reduce((a, b) => a + b, 0) / idleMs) * 1_000,
    stats,
    contention: { commands: burstCommands, casPerCommand, burstMs },
  };
}

// Both deployments run side by side (each with its own redis-server); the load alternates between
// them in blocks, so a change in the machine's other load touches both alike.
console.log(`Spiral Redis-mode benchmark — ${circles} circles × ${members} members, 1 command per circle per second, ${seconds} s each, alternating in ${blockSeconds} s blocks`);
const oneCluster = await startRedisCluster({ processes: 1, nginx: false, env: { LOG_LEVEL: 'warn' } });
const twoCluster = await startRedisCluster({ processes: 2, nginx: false, env: { LOG_LEVEL: 'warn' } }).catch(async (error: unknown) => {
  await oneCluster.stop();
  throw error;
});
const one = { latencies: [] as number[] };
const two = { latencies: [] as number[], trips: undefined as Awaited<ReturnType<typeof roundTrips>> | undefined };
try {
  const oneRooms = await seat(oneCluster);
  const twoRooms = await seat(twoCluster);
  await sleep(500);
  for (let block = 0; block * blockSeconds < seconds; block++) {
    one.latencies.push(...(await load(oneRooms, blockSeconds, block)));
    two.latencies.push(...(await load(twoRooms, blockSeconds, block)));
  }
  two.trips = await roundTrips(twoCluster, twoRooms);
} finally {
  closeLiveMembers();
  await oneCluster.stop();
  await twoCluster.stop();
}

console.log(`one process + Redis:   ${fmt(one.latencies)}`);
console.log(`two processes + Redis: ${fmt(two.latencies)}   (members and senders alternate between the processes)`);
const ratio = percentile(two.latencies, 99) / percentile(one.latencies, 99);
console.log(`p99 ratio two/one:     ${ratio.toFixed(2)}× (target ≤ 2×: ${ratio <= 2 ? 'met' : 'MISSED'})`);
console.log(`p50 ratio two/one:     ${(percentile(two.latencies, 50) / percentile(one.latencies, 50)).toFixed(2)}×`);
if (two.trips) {
  console.log(`Redis round trips per command (two processes, ${counted} commands, MONITOR, background subtracted): ${two.trips.total.toFixed(2)}`);
  console.log(`  by command:            ${JSON.stringify(two.trips.clients)}`);
  console.log(`  run inside scripts:    ${JSON.stringify(two.trips.scripts)}`);
  console.log(`  INFO commandstats Δ/command (scripts' inner calls included, background not subtracted): ${JSON.stringify(two.trips.stats)}`);
  const { contention } = two.trips;
  console.log(
    `contention (${contention.commands} commands, a whole circle sending at once from both processes): ${contention.casPerCommand.toFixed(2)} CAS script runs per command (1.00 = no lost compare-and-set; idle wake-up polls subtracted), a burst of ${members} settled in ${fmt(contention.burstMs)}`,
  );
  console.log(`  idle background:       ${two.trips.backgroundPerSecond.toFixed(1)} round trips/s for the two processes (wake-up polls, heartbeats, adapter)`);
}
