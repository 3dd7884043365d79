/**
 * Client benchmark: `pnpm bench:client` (after `pnpm build`). Starts the built server with the built
 * client, drives Debian's Chromium with playwright-core, and prints:
 *  1. the gzipped JavaScript each of home and join loads before it is usable (the built files the page
 *     actually requested, gzipped here at level 6 as a server would send them);
 *  2. the time from a facilitator's "Advance stage" click to the new stage being on screen on every
 *     other page (loopback), p50/p95/max over ITERATIONS;
 *  3. the agreement of the shared timer's remaining time across pages: each page publishes the exact
 *     value it rendered and the client time it did so; readings are brought to one instant and the
 *     spread (max − min) is taken, p50/p95/max over SAMPLES. Two of the pages have deliberately wrong
 *     device clocks (+37 s and −12 s), so this measures the clock-offset estimation, not luck.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { joinAs, launchBrowser, newMember, startSpiral, timerReading, type Member, type Page } from '../tests/e2e/browser.js';
import { REPO_ROOT } from '../tests/support/server-process.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 30);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 40);
const DIST = path.join(REPO_ROOT, 'client/dist');
const SKEWS = [0, 0, 37_000, -12_000]; // facilitator, then three participants

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

/** Gzipped size of the JS a fresh page at `url` requests until `ready` resolves and the network is quiet. */
async function jsBeforeUsable(member: Member, origin: string, url: string, ready: (page: Page) => Promise<void>) {
  const scripts = new Set<string>();
  member.page.on('request', (req) => {
    if (req.resourceType() === 'script' && req.url().startsWith(origin)) scripts.add(new URL(req.url()).pathname);
  });
  await member.page.goto(url);
  await ready(member.page);
  await member.page.waitForLoadState('networkidle');
  let gz = 0;
  let raw = 0;
  const files: string[] = [];
  for (const pathname of scripts) {
    const file = path.join(DIST, pathname);
    if (!file.startsWith(DIST) || !fs.existsSync(file)) throw new Error(`requested ${pathname}, which is not a built file`);
    const bytes = fs.readFileSync(file);
    raw += bytes.length;
    gz += zlib.gzipSync(bytes, { level: 6 }).length;
    files.push(path.basename(file));
  }
  return { gzKB: gz / 1024, rawKB: raw / 1024, files };
}

async function main() {
  const spiral = await startSpiral();
  const browser = await launchBrowser();
  try {
    // 1. JavaScript before home and join are usable.
    const visitor = await newMember(browser, 'visitor');
    const home = await jsBeforeUsable(visitor, spiral.origin, `${spiral.origin}/`, (p) => p.getByRole('button', { name: 'Create circle' }).waitFor());
    const created = (await (
      await fetch(`${spiral.origin}/api/circles`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Bench circle' }) })
    ).json()) as { circleId: string; facilitatorUrl: string; inviteUrl: string };
    const guest = await newMember(browser, 'guest');
    const join = await jsBeforeUsable(guest, spiral.origin, `${spiral.origin}/c/${created.circleId}`, async (p) => {
      await p.getByRole('button', { name: 'Join', exact: true }).waitFor();
      await p.waitForFunction(() => !document.querySelector<HTMLButtonElement>('button[type=submit]')?.disabled);
    });
    await visitor.context.close();
    await guest.context.close();

    // A facilitator and three participants, each in their own browser context.
    const members: Member[] = [];
    const names = ['Fran', 'Ann', 'Ben', 'Cara'];
    for (const [i, name] of names.entries()) {
      const m = await newMember(browser, name, { clockSkewMs: SKEWS[i] ?? 0 });
      await joinAs(m, i === 0 ? created.facilitatorUrl.replace(/^https?:\/\/[^/]+/, spiral.origin) : `${spiral.origin}/c/${created.circleId}`);
      members.push(m);
    }
    const [fac, ...others] = members as [Member, ...Member[]];
    await fac.page.getByRole('button', { name: 'Advance stage' }).waitFor();

    // 2. "Advance stage" click to the new stage on every other page.
    const toAll: number[] = [];
    const perPage: number[] = [];
    for (let i = 0; i < ITERATIONS; i += 1) {
      const current = (await fac.page.locator('#stage-heading').textContent()) ?? '';
      // Each watcher notes, in the page, the first animation frame after the heading changed: the moment
      // the new stage can be on screen. Installed (and awaited) before the click. The in-page code is a
      // string so that the TypeScript loader's helpers do not leak into it.
      await Promise.all(
        others.map((m) =>
          m.page.evaluate(`(() => {
            const previous = ${JSON.stringify(current)};
            window.__stageSeen = new Promise((resolve) => {
              const done = () => requestAnimationFrame(() => resolve(performance.timeOrigin + performance.now()));
              const obs = new MutationObserver(() => {
                if (document.getElementById('stage-heading')?.textContent !== previous) { obs.disconnect(); done(); }
              });
              obs.observe(document.body, { subtree: true, childList: true, characterData: true });
            });
          })()`),
        ),
      );
      const clickAt = await fac.page.evaluate(`(() => {
        const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Advance stage');
        if (!button) throw new Error('no Advance stage button');
        const at = performance.timeOrigin + performance.now();
        button.click();
        return at;
      })()`);
      if (typeof clickAt !== 'number') throw new Error('no click time');
      const watchers = others.map((m) => m.page.evaluate('window.__stageSeen'));
      const seen = await Promise.all(watchers);
      const latencies = seen.map((t) => Number(t) - clickAt);
      perPage.push(...latencies);
      toAll.push(Math.max(...latencies));
      await fac.page.waitForTimeout(50);
    }

    // 3. Timer agreement across the four pages.
    await fac.page.getByRole('button', { name: '20 min' }).click();
    await fac.page.getByRole('button', { name: 'Start timer' }).click();
    for (const m of members) await m.page.waitForFunction(() => document.querySelector('[role=timer]')?.getAttribute('data-status') === 'running');
    await fac.page.waitForTimeout(1_500); // let every page finish its clock estimate
    const spreads: number[] = [];
    for (let s = 0; s < SAMPLES; s += 1) {
      const readings = await Promise.all(members.map((m) => timerReading(m.page)));
      const realAt = readings.map((r, i) => r.at - (SKEWS[i] ?? 0));
      const t0 = Math.max(...realAt);
      const aligned = readings.map((r, i) => r.remainingMs - (t0 - (realAt[i] ?? t0)));
      spreads.push(Math.max(...aligned) - Math.min(...aligned));
      await fac.page.waitForTimeout(100);
    }

    console.log('Spiral client benchmark (loopback, headless Chromium)');
    console.log(`  JS before home is usable: ${fmt(home.gzKB)} KB gzipped (${fmt(home.rawKB)} KB raw) — ${home.files.join(', ')}  [target ≤ 120 KB]`);
    console.log(`  JS before join is usable: ${fmt(join.gzKB)} KB gzipped (${fmt(join.rawKB)} KB raw) — ${join.files.join(', ')}  [target ≤ 120 KB]`);
    console.log(
      `  Advance stage → visible on all ${others.length} other pages, ${ITERATIONS} runs: p50 ${fmt(quantile(toAll, 0.5))} ms, p95 ${fmt(quantile(toAll, 0.95))} ms, max ${fmt(Math.max(...toAll))} ms  [target p95 ≤ 150 ms]`,
    );
    console.log(`    per page (${perPage.length} samples): p50 ${fmt(quantile(perPage, 0.5))} ms, p95 ${fmt(quantile(perPage, 0.95))} ms`);
    console.log(
      `  Timer agreement across ${members.length} pages (device clocks skewed ${SKEWS.join(', ')} ms), ${SAMPLES} samples: spread p50 ${fmt(quantile(spreads, 0.5), 2)} ms, p95 ${fmt(quantile(spreads, 0.95), 2)} ms, max ${fmt(Math.max(...spreads), 2)} ms  [target p95 ≤ 25 ms]`,
    );
  } finally {
    await browser.close().catch(() => undefined);
    await spiral.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
