/**
 * A throwaway redis-server for tests and benchmarks: Debian's `/usr/bin/redis-server` on a free
 * 127.0.0.1 port, with its own temp dir (append-only file, fsync on every write), stopped by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const REDIS_SERVER_BIN = process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server';

export interface RedisServer {
  port: number;
  url: string;
  dir: string;
  pid(): number | undefined;
  /** SIGTERM by PID (Redis flushes its append-only file) and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL by PID and wait for the exit. */
  kill9(): Promise<void>;
  /** Start again on the same port and dir (after `stop` or `kill9`); the data is read back from the AOF. */
  restart(): Promise<void>;
  /** Stop and remove the temp dir. */
  dispose(): Promise<void>;
  output: string[];
}

/** A free TCP port on 127.0.0.1. */
export function freeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.once('connect', () => socket.write('PING\r\n'));
  });
}

export async function startRedisServer(options: { port?: number; appendfsync?: 'always' | 'everysec' } = {}): Promise<RedisServer> {
  if (!fs.existsSync(REDIS_SERVER_BIN)) throw new Error(`${REDIS_SERVER_BIN} is missing: apt-get install redis-server`);
  const port = options.port ?? (await freeLocalPort());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiral-redis-'));
  const output: string[] = [];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const launch = async () => {
    const args = [
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--dir', dir,
      '--daemonize', 'no',
      '--save', '',
      '--appendonly', 'yes',
      '--appendfsync', options.appendfsync ?? 'always',
      '--logfile', '',
      '--loglevel', 'warning',
    ];
    const proc = spawn(REDIS_SERVER_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    proc.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    const deadline = Date.now() + 10_000;
    while (!(await ping(port))) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited early:\n${output.join('')}`);
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`redis-server did not start:\n${output.join('')}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const kill = async (signal: NodeJS.Signals) => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };

  await launch();
  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    output,
    pid: () => child?.pid,
    async stop() {
      const timer = setTimeout(() => child?.kill('SIGKILL'), 5_000);
      await kill('SIGTERM');
      clearTimeout(timer);
    },
    kill9: () => kill('SIGKILL'),
    async restart() {
      await kill('SIGKILL');
      await launch();
    },
    async dispose() {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

/** `INFO commandstats` as { command: calls } (commands run inside Lua scripts are counted too). */
export function redisCommandStats(port: number): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(5_000, () => {
      socket.destroy();
      reject(new Error('INFO timed out'));
    });
    socket.once('error', reject);
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      const header = /^\$(\d+)\r\n/.exec(reply);
      if (!header || Buffer.byteLength(reply) < header[0].length + Number(header[1])) return;
      socket.destroy();
      const stats: Record<string, number> = {};
      for (const match of reply.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) stats[match[1]!] = Number(match[2]);
      resolve(stats);
    });
    socket.once('connect', () => socket.write('INFO commandstats\r\n'));
  });
}

/**
 * `MONITOR`: counts the commands clients send (round trips; `fromScripts` counts those run inside Lua
 * scripts, which MONITOR shows with the source `lua`), by command name, until `stop()`.
 */
export async function monitorRedis(port: number): Promise<{ stop(): { clients: Record<string, number>; fromScripts: Record<string, number> } }> {
  const clients: Record<string, number> = {};
  const fromScripts: Record<string, number> = {};
  const socket = net.connect(port, '127.0.0.1');
  let pending = '';
  let started = false;
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => socket.write('MONITOR\r\n'));
    socket.on('data', (chunk) => {
      pending += chunk.toString();
      const lines = pending.split('\r\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!started && line === '+OK') {
          started = true;
          resolve();
          continue;
        }
        const match = /^\+[\d.]+ \[\d+ ([^\]]+)\] "([^"]+)"/.exec(line);
        if (!match) continue;
        const name = match[2]!.toLowerCase();
        const into = match[1] === 'lua' ? fromScripts : clients;
        into[name] = (into[name] ?? 0) + 1;
      }
    });
  });
  return {
    stop() {
      socket.destroy();
      return { clients: { ...clients }, fromScripts: { ...fromScripts } };
    },
  };
}
