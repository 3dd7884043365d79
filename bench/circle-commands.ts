/**
 * Command latency and fan-out over loopback against the built server process (`pnpm build` first).
 *
 *   pnpm bench            # 10 circles × 10 members, 100 commands per circle, SQLite store
 *   BENCH_CIRCLES=20 BENCH_MEMBERS=30 BENCH_COMMANDS=50 BENCH_STORE=memory pnpm bench
 *
 * Prints p50/p95/p99 of (a) the sender's ack latency and (b) the time until every member of the
 * circle has the new snapshot, and the overall command throughput. Targets only 127.0.0.1, and
 * stops the server by its PID when done.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeAllSockets, createCircle, join, type Member } from '../tests/support/harness.js';
import { startServerProcess } from '../tests/support/server-process.js';

const circles = Number(process.env.BENCH_CIRCLES ?? 10);
const members = Number(process.env.BENCH_MEMBERS ?? 10);
const commands = Number(process.env.BENCH_COMMANDS ?? 100);
const store = process.env.BENCH_STORE ?? 'sqlite';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
const fmt = (values: number[]) =>
  `p50 ${percentile(values, 50).toFixed(2)} ms · p95 ${percentile(values, 95).toFixed(2)} ms · p99 ${percentile(values, 99).toFixed(2)} ms`;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiral-bench-'));
const server = await startServerProcess({ DATA_DIR: dataDir, STORE: store, LOG_LEVEL: 'warn', JOIN_RATE_PER_MINUTE: '100000' });
try {
  const rooms: Member[][] = [];
  for (let c = 0; c < circles; c++) {
    const circle = await createCircle(server.url, { title: `Bench ${c}` });
    const room = [await join(server.url, { circleId: circle.circleId, name: 'Host', facilitatorKey: circle.facilitatorKey })];
    for (let m = 1; m < members; m++) room.push(await join(server.url, { circleId: circle.circleId, name: `M${m}` }));
    rooms.push(room);
  }
  const ackMs: number[] = [];
  const fanoutMs: number[] = [];
  const started = performance.now();
  await Promise.all(
    rooms.map(async (room) => {
      const host = room[0]!;
      for (let i = 0; i < commands; i++) {
        const t0 = performance.now();
        const ack = await host.send({ type: 'stage.advance' });
        ackMs.push(performance.now() - t0);
        if (!ack.ok || !('version' in ack)) throw new Error(`command refused: ${JSON.stringify(ack)}`);
        await Promise.all(room.map((m) => m.waitFor((s) => s.version >= ack.version, 10_000)));
        fanoutMs.push(performance.now() - t0);
        // Stay under the per-connection rate limit (10/s sustained after a burst of 30).
        if (i >= 25) await new Promise((r) => setTimeout(r, 100));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(`Spiral command benchmark — ${circles} circles × ${members} members, ${commands} commands each, store ${store}`);
  console.log(`ack latency:         ${fmt(ackMs)}`);
  console.log(`snapshot to all:     ${fmt(fanoutMs)}`);
  console.log(`throughput:          ${(ackMs.length / seconds).toFixed(0)} commands/s (rate-limited senders), ${ackMs.length} commands in ${seconds.toFixed(1)} s`);
} finally {
  closeAllSockets();
  await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
