import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeLocalPort } from './redis-server.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The built server; `SPIRAL_SERVER_ENTRY` points a measurement at another build (before/after). */
export const SERVER_ENTRY = process.env.SPIRAL_SERVER_ENTRY ?? path.join(REPO_ROOT, 'server/dist/main.js');

/** A free TCP port on 127.0.0.1 (one helper for every test that starts a service). */
export const freePort = freeLocalPort;

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  port: number;
  output: string[];
  /** SIGKILL by PID and wait for the exit. */
  kill9(): Promise<void>;
  /** SIGTERM, then SIGKILL after a moment. */
  stop(): Promise<void>;
}

/** Start the built server (`pnpm build` first) as its own process on 127.0.0.1. */
export async function startServerProcess(env: Record<string, string>, port?: number): Promise<ServerProcess> {
  if (!fs.existsSync(SERVER_ENTRY)) throw new Error(`${SERVER_ENTRY} is missing: run \`pnpm build\` first`);
  const chosenPort = port ?? (await freePort());
  const output: string[] = [];
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env, PORT: String(chosenPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${chosenPort}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output.join('')}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start:\n${output.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    child,
    url,
    port: chosenPort,
    output,
    kill9: () => kill('SIGKILL'),
    async stop() {
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await kill('SIGTERM');
      clearTimeout(timer);
    },
  };
}
