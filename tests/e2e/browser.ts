import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export type { Page } from 'playwright-core';
import { freePort, REPO_ROOT, startServerProcess, type ServerProcess } from '../support/server-process.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.join(REPO_ROOT, 'artifacts');
const CLIENT_INDEX = path.join(REPO_ROOT, 'client/dist/index.html');
const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');

/** Fake camera and microphone (a test pattern and a beep), granted without a prompt. */
export const FAKE_MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'];

export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

export interface SpiralServer {
  server: ServerProcess;
  origin: string;
  dataDir: string;
  /** Stop the server process (SIGTERM); `start()` brings it back on the same port and data. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface StartSpiralOptions {
  /** The host name in PUBLIC_ORIGIN (http://<host>:<port>); the browser must resolve it to 127.0.0.1. */
  publicHost?: string;
}

/** The built server (with the built client) as its own process, on a free port, with a fresh data dir. */
export async function startSpiral(options: StartSpiralOptions = {}): Promise<SpiralServer> {
  if (!fs.existsSync(CLIENT_INDEX)) throw new Error(`${CLIENT_INDEX} is missing: run \`pnpm build\` first`);
  const port = await freePort();
  const origin = `http://${options.publicHost ?? '127.0.0.1'}:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiral-e2e-'));
  const env = { DATA_DIR: dataDir, PUBLIC_ORIGIN: origin, LOG_LEVEL: 'warn' };
  let running: ServerProcess | null = await startServerProcess(env, port);
  // If this process dies without reaching close() (a crash, an unhandled rejection), take the server with it.
  const killOnExit = () => {
    running?.child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  const spiral: SpiralServer = {
    server: running,
    origin,
    dataDir,
    async stop() {
      await running?.stop();
      running = null;
    },
    async start() {
      if (running) return;
      running = await startServerProcess(env, port);
      spiral.server = running;
    },
    async close() {
      await running?.stop();
      running = null;
      process.removeListener('exit', killOnExit);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return spiral;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

interface AxeResultsLike {
  violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] }[];
}

/** Runs axe-core in the page; returns the serious and critical violations. */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  // The app's Content-Security-Policy (script-src 'self') refuses an injected <script> tag, and the
  // audit must not weaken it; evaluating the source through the DevTools protocol is not subject to it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(fs.readFileSync(AXE_PATH, 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResultsLike> } }).axe;
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.map((n) => n.target.map(String).join(' ')),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface Member {
  name: string;
  context: BrowserContext;
  page: Page;
}

export interface MemberOptions {
  viewport?: { width: number; height: number };
  /** Shift this page's `Date.now()` by this much, as if the device's clock were wrong. */
  clockSkewMs?: number;
}

export async function newMember(browser: Browser, name: string, options: MemberOptions = {}): Promise<Member> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 900 } });
  if (options.clockSkewMs) {
    await context.addInitScript((skew: number) => {
      const realNow = Date.now.bind(Date);
      Date.now = () => realNow() + skew;
    }, options.clockSkewMs);
  }
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[${name}] page error: ${error.message}`));
  return { name, context, page };
}

/** Fill in the join form on an invite page and wait for the circle. */
export async function joinAs(member: Member, url: string): Promise<void> {
  await member.page.goto(url);
  await member.page.getByLabel('Your name').fill(member.name);
  await member.page.getByRole('button', { name: 'Join', exact: true }).click();
  await member.page.getByRole('button', { name: /^(Raise|Lower) hand$/ }).waitFor();
}

/** The shared timer's value on a page and the page's `Date.now()` when it was computed (`data-at`). */
export async function timerReading(page: Page): Promise<{ remainingMs: number; at: number; status: string; text: string }> {
  return page.getByRole('timer').evaluate((el: HTMLElement) => ({
    remainingMs: Number(el.dataset.remainingMs),
    at: Number(el.dataset.at),
    status: el.dataset.status ?? '',
    text: el.textContent ?? '',
  }));
}

/** Polls `read` until `ok` holds (or the time is up) and returns the last value, for an expect() to judge. */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  return value;
}

/** The participant id of the seat on `page`'s ring whose name is `name` ('' when there is none). */
export const participantIdOnRing = (page: Page, name: string): Promise<string> =>
  page.locator('.ring__seats > li').evaluateAll(
    (items, wanted) => items.find((li) => li.querySelector('.seat__name')?.firstChild?.textContent === wanted)?.getAttribute('data-participant-id') ?? '',
    name,
  );
