/**
 * The built server as a black box, for a test file: one process on its own data dir, started before
 * the tests and stopped (with every restart of it) after them, sockets closed after each test.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { closeAllSockets } from './harness.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

export interface BlackboxServer {
  /** The process running now. */
  readonly current: ServerProcess;
  readonly dataDir: string;
  /** Everything every process of this server has written, restarts included. */
  log(): string;
  /** `kill -9` the process, and start a new one on the same port and data dir. */
  killAndRestart(): Promise<ServerProcess>;
}

export function useBlackboxServer(name: string, extraEnv: Record<string, string> = {}): BlackboxServer {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `spiral-${name}-`));
  const env = { DATA_DIR: dataDir, HOLDER_GRACE_MS: '60000', ...extraEnv };
  const processes: ServerProcess[] = [];
  let current: ServerProcess | undefined;

  beforeAll(async () => {
    current = await startServerProcess(env);
    processes.push(current);
  });
  afterEach(() => closeAllSockets());
  afterAll(async () => {
    closeAllSockets();
    for (const p of processes) await p.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  return {
    dataDir,
    log: () => processes.map((p) => p.output.join('')).join('\n'),
    get current() {
      if (!current) throw new Error('the black-box server has not started');
      return current;
    },
    async killAndRestart() {
      const port = this.current.port;
      await this.current.kill9();
      current = await startServerProcess(env, port);
      processes.push(current);
      return current;
    },
  };
}
