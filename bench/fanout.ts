/**
 * Fan-out at scale: Spiral against a bare Socket.IO server that only broadcasts a state of the same
 * size, on the same machine in the same run (`pnpm build` first).
 *
 *   pnpm bench:fanout                                  # 500, 2,000 and 5,000 sockets, SQLite
 *   BENCH_SOCKETS=5000 BENCH_STORE=memory pnpm bench:fanout
 *   BENCH_SOCKETS=2000 BENCH_MEMBERS=20 BENCH_SECONDS=20 pnpm bench:fanout
 *   BENCH_SERVER_ENTRY=/tmp/before/main.js pnpm bench:fanout   # another build (before/after)
 *
 * Circles of BENCH_MEMBERS members; each circle's host sends one command a second. Latency is from
 * the command sent to every member of the circle holding the new version. Also prints the server's
 * event-loop delay p99 over the window and its RSS per connected member. Targets 127.0.0.1 only;
 * each server is stopped by its PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectLoadMember, Fanout, type LoadMember } from '../tests/support/load-members.js';
import { freePort, REPO_ROOT, SERVER_ENTRY } from '../tests/support/server-process.js';

const socketCounts = (process.env.BENCH_SOCKETS ?? '500,2000,5000').split(',').map(Number);
const membersPerCircle = Number(process.env.BENCH_MEMBERS ?? 20);
const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const store = process.env.BENCH_STORE ?? 'sqlite';
/** Another build to measure instead (e.g. a copy of the landed `server/dist/main.js`, for before/after). */
const spiralEntry = process.env.BENCH_SERVER_ENTRY ?? SERVER_ENTRY;
const PROBE = path.join(REPO_ROOT, 'bench/probe.mjs');
const BARE = path.join(REPO_ROOT, 'server/src/testing/bare-broadcast-server.ts');

interface Probe {
  loopDelayP99Ms: number;
  rssBytes: number;
}
interface Result {
  p50: number;
  p99: number;
  lost: number;
  commands: number;
  loopDelayP99Ms: number;
  rssPerMemberKb: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

async function startProcess(kind: 'spiral' | 'bare', dataDir: string): Promise<{ child: ChildProcess; url: string; probeFile: string }> {
  const port = await freePort();
  const probeFile = path.join(dataDir, `probe-${kind}.json`);
  const args = kind === 'spiral' ? ['--import', PROBE, spiralEntry] : ['--import', 'tsx', '--import', PROBE, BARE];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      PROBE_FILE: probeFile,
      DATA_DIR: dataDir,
      STORE: store,
      LOG_LEVEL: 'warn',
      JOIN_RATE_PER_MINUTE: '1000000',
      CREATE_RATE_PER_MINUTE: '1000000',
      SEATS_PER_ADDRESS: '1000',
      NODE_ENV: 'production',
      PUBLIC_ORIGIN: `http://127.0.0.1:${port}`,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 20_000; ; ) {
    if (child.exitCode !== null) throw new Error(`${kind} server exited early`);
    if (await fetch(`${url}/api/health`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) throw new Error(`${kind} server did not start`);
    await sleep(50);
  }
  return { child, url, probeFile };
}

async function probe(child: ChildProcess, file: string): Promise<Probe> {
  fs.rmSync(file, { force: true });
  child.kill('SIGUSR2');
  for (let i = 0; i < 200 && !fs.existsSync(file); i++) await sleep(10);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Probe;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(force);
}

async function inBatches<T>(count: number, batch: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < count; i += batch) out.push(...(await Promise.all(Array.from({ length: Math.min(batch, count - i) }, (_, j) => make(i + j)))));
  return out;
}

async function run(kind: 'spiral' | 'bare', sockets: number): Promise<Result> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `spiral-fanout-${kind}-`));
  const server = await startProcess(kind, dataDir);
  const everyone: LoadMember[] = [];
  try {
    await sleep(500);
    const before = await probe(server.child, server.probeFile);
    const circleCount = Math.max(1, Math.round(sockets / membersPerCircle));
    const circles = await inBatches(circleCount, 20, async (c) => {
      const res = await fetch(`${server.url}/api/circles`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: `Fan-out ${c}`, template: 'wtr-spiral' }),
      });
      if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
      return (await res.json()) as { circleId: string; facilitatorKey: string };
    });
    const rooms = await inBatches(circles.length, 10, async (c) => {
      const { circleId, facilitatorKey } = circles[c]!;
      const fanout = new Fanout(membersPerCircle);
      // Each circle from its own address (through the trusted loopback proxy), as real circles are.
      const from = { 'x-forwarded-for': `10.${(c >> 8) & 255}.${c & 255}.1` };
      const host = await connectLoadMember(server.url, { circleId, name: 'Host', facilitatorKey }, fanout, 20_000, from);
      const others = await inBatches(membersPerCircle - 1, 19, (m) => connectLoadMember(server.url, { circleId, name: `M${m}` }, fanout, 20_000, from));
      everyone.push(host, ...others);
      return { host, fanout };
    });
    await sleep(2_000);
    const loaded = await probe(server.child, server.probeFile);
    server.child.kill('SIGUSR1');
    const latencies: number[] = [];
    let lost = 0;
    const stopAt = performance.now() + seconds * 1000;
    await Promise.all(
      rooms.map(async ({ host, fanout }) => {
        await sleep(Math.random() * 1000);
        while (performance.now() < stopAt) {
          const t0 = performance.now();
          const ack = await host.send({ type: 'stage.advance' });
          if (!ack.ok || !('version' in ack)) throw new Error(`${kind}: command refused: ${JSON.stringify(ack)}`);
          try {
            latencies.push((await fanout.everyoneHas(ack.version, 10_000)) - t0);
          } catch {
            lost += 1;
          }
          const next = t0 + 1000 - performance.now();
          if (next > 0) await sleep(next);
        }
      }),
    );
    const after = await probe(server.child, server.probeFile);
    return {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      lost,
      commands: latencies.length + lost,
      loopDelayP99Ms: after.loopDelayP99Ms,
      rssPerMemberKb: (loaded.rssBytes - before.rssBytes) / everyone.length / 1024,
    };
  } finally {
    for (const member of everyone) member.close();
    await stopProcess(server.child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const f = (n: number, digits = 1) => n.toFixed(digits);
console.log(`Fan-out: Spiral (STORE=${store}) vs a bare Socket.IO broadcast server — ${membersPerCircle} members a circle, one command per circle per second, ${seconds} s window`);
console.log('| sockets | Spiral p50 / p99 ms | bare p50 / p99 ms | ratio p99 | loop delay p99 Spiral / bare ms | RSS per member Spiral / bare KB | ratio RSS | lost |');
console.log('|---|---|---|---|---|---|---|---|');
for (const sockets of socketCounts) {
  const bare = await run('bare', sockets);
  const spiral = await run('spiral', sockets);
  console.log(
    `| ${sockets} | ${f(spiral.p50)} / ${f(spiral.p99)} | ${f(bare.p50)} / ${f(bare.p99)} | ${f(spiral.p99 / bare.p99, 2)}× | ${f(spiral.loopDelayP99Ms)} / ${f(bare.loopDelayP99Ms)} | ${f(spiral.rssPerMemberKb)} / ${f(bare.rssPerMemberKb)} | ${f(spiral.rssPerMemberKb / bare.rssPerMemberKb, 2)}× | ${spiral.lost} of ${spiral.commands} |`,
  );
}
