/**
 * Issue 14: members whose devices stop reading (frozen, or hostile bots) while the circle changes
 * must not grow the server's memory; the others keep getting every change.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PlanStepInput } from '@spiral/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAllSockets, createCircle, join } from '../support/harness.js';
import { rssOf } from '../support/process-memory.js';
import { REPO_ROOT, startServerProcess, type ServerProcess } from '../support/server-process.js';

const IDLE_BOTS = 30;
/** `SLOW_READER_SECONDS` lengthens the run for a before/after measurement (`SPIRAL_SERVER_ENTRY` picks the build). */
const CHANGING_SECONDS = Number(process.env.SLOW_READER_SECONDS ?? 20);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  closeAllSockets();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The largest plan a facilitator may set: every snapshot is then about 30 KB. */
function largestPlan(): PlanStepInput[] {
  return Array.from({ length: 40 }, (_, i) => ({
    title: `Step ${i} `.padEnd(120, 'x'),
    stage: 'gratitude',
    prompt: `Prompt ${i} `.padEnd(500, 'y'),
    mode: 'round',
    speakerTimeMs: 60_000,
    durationMs: 600_000,
    grouping: 'circle',
  }));
}

async function startIdleBots(url: string, circleId: string, mode: 'frozen' | 'deaf'): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'tests/support/idle-bots.ts'), url, circleId, String(IDLE_BOTS), mode], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('idle bots did not connect')), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().startsWith('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', () => reject(new Error('idle bots exited')));
  });
  return child;
}

describe('slow readers', () => {
  it.each(['frozen', 'deaf'] as const)(
    'keeps memory bounded while 30 %s members are sent ~30 KB snapshots 20 times a second, and lets them go',
    async (mode) => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiral-slow-'));
      const server: ServerProcess = await startServerProcess({ DATA_DIR: dataDir, JOIN_RATE_PER_MINUTE: '100000', SEATS_PER_ADDRESS: '100', LOG_LEVEL: 'warn' });
      cleanups.push(async () => {
        await server.kill9();
        fs.rmSync(dataDir, { recursive: true, force: true });
      });
      const circle = await createCircle(server.url, { title: 'Frozen devices' });
      const host = await join(server.url, { circleId: circle.circleId, name: 'Host', facilitatorKey: circle.facilitatorKey });
      expect(await host.send({ type: 'plan.set', steps: largestPlan() })).toMatchObject({ ok: true });
      const listener = await join(server.url, { circleId: circle.circleId, name: 'Listener' });
      const bots = await startIdleBots(server.url, circle.circleId, mode);
      if (mode === 'frozen') bots.kill('SIGSTOP');
      cleanups.push(() => void bots.kill('SIGCONT'));

      const pid = server.child.pid!;
      await new Promise((r) => setTimeout(r, 1_000));
      const baseline = rssOf(pid);
      let peak = baseline;
      const started = Date.now();
      const timeline: string[] = [];
      const sampler = setInterval(() => {
        const rss = rssOf(pid);
        peak = Math.max(peak, rss);
        if (timeline.length < Math.floor((Date.now() - started) / 10_000)) timeline.push(`${Math.round((rss - baseline) / 2 ** 20)} MB`);
      }, 200);
      let lastVersion = 0;
      const toggle = async (member: typeof host) => {
        const stopAt = Date.now() + CHANGING_SECONDS * 1000;
        for (let raised = false; Date.now() < stopAt; raised = !raised) {
          const ack = await member.send(raised ? { type: 'hand.lower', participantId: member.welcome.participantId } : { type: 'hand.raise' });
          if (ack.ok && 'version' in ack) lastVersion = Math.max(lastVersion, ack.version);
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      await Promise.all([toggle(host), toggle(listener)]);
      clearInterval(sampler);
      const growthMb = (peak - baseline) / 2 ** 20;
      console.log(`slow readers (${mode}): RSS ${Math.round(baseline / 2 ** 20)} MB before, peak ${Math.round(peak / 2 ** 20)} MB (+${growthMb.toFixed(1)} MB) over ${CHANGING_SECONDS} s; growth every 10 s: ${timeline.join(', ')}`);

      // The members who read have every change.
      await listener.waitFor((s) => s.version >= lastVersion, 5_000);
      await host.waitFor((s) => s.version >= lastVersion, 5_000);
      // The frozen ones were let go: the circle shows them away.
      const state = await host.waitFor((s) => s.participants.filter((p) => p.name.startsWith('Idle') && !p.connected).length === IDLE_BOTS, 20_000);
      const letGo = state.participants.filter((p) => p.name.startsWith('Idle')).map((p) => p.awaySince ?? 0);
      console.log(`slow readers (${mode}): let go ${((Math.max(...letGo) - started) / 1000).toFixed(1)} s after the changes began`);
      expect(state.participants.filter((p) => p.connected).map((p) => p.name).sort()).toEqual(['Host', 'Listener']);
      expect(growthMb).toBeLessThan(64);
    },
    120_000 + CHANGING_SECONDS * 1000,
  );
});
