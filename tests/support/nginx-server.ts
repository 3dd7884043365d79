/**
 * nginx in front of Spiral processes for tests and benchmarks: Debian's `/usr/sbin/nginx` run with
 * the shipped `deploy/nginx.conf` (its upstreams and port replaced), in its own temp prefix dir on a
 * free 127.0.0.1 port, in the foreground, stopped by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, REPO_ROOT } from './server-process.js';

export const NGINX_BIN = process.env.NGINX_BIN ?? '/usr/sbin/nginx';
export const NGINX_CONF = path.join(REPO_ROOT, 'deploy/nginx.conf');

export interface NginxServer {
  port: number;
  url: string;
  dir: string;
  pid(): number | undefined;
  /** SIGQUIT by PID (graceful), SIGKILL after 3 s; removes the temp dir. */
  stop(): Promise<void>;
}

/** The shipped configuration with `upstreams` (ports on 127.0.0.1) and `port` in place of the examples. */
export function nginxConfFor(upstreams: number[], port: number): string {
  const shipped = fs.readFileSync(NGINX_CONF, 'utf8');
  const servers = upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join('\n');
  const conf = shipped
    .replace(/( {4}server 127\.0\.0\.1:\d+ max_fails=1 fail_timeout=5s;\n)+/, `${servers}\n`)
    .replace('listen 127.0.0.1:8080;', `listen 127.0.0.1:${port};`);
  if (!conf.includes(`listen 127.0.0.1:${port};`) || !conf.includes(servers)) throw new Error('deploy/nginx.conf no longer has the expected upstream and listen lines');
  return conf;
}

export async function startNginx(upstreams: number[]): Promise<NginxServer> {
  if (!fs.existsSync(NGINX_BIN)) throw new Error(`${NGINX_BIN} is missing: apt-get install nginx`);
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiral-nginx-'));
  // nginx's workers (user nobody when started as root) must reach the temp paths under the prefix.
  fs.chmodSync(dir, 0o755);
  fs.mkdirSync(path.join(dir, 'tmp'));
  const confPath = path.join(dir, 'nginx.conf');
  fs.writeFileSync(confPath, nginxConfFor(upstreams, port));
  const output: string[] = [];
  const child: ChildProcess = spawn(NGINX_BIN, ['-p', dir, '-c', confPath, '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited early:\n${output.join('')}`);
    try {
      // Any answer from nginx itself (even a 502 before the processes are up) means it is listening.
      await fetch(`${url}/api/health`);
      break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not start:\n${output.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    url,
    dir,
    pid: () => child.pid,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
        child.kill('SIGQUIT');
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
