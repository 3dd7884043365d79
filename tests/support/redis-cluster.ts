/**
 * A scaled-out Spiral for tests and benchmarks: a redis-server, N built server processes with
 * STORE=redis, and (optionally) nginx in front, each on a free 127.0.0.1 port, all stopped by PID.
 */
import { type NginxServer, startNginx } from './nginx-server.js';
import { type RedisServer, startRedisServer } from './redis-server.js';
import { freePort, type ServerProcess, startServerProcess } from './server-process.js';

export interface RedisCluster {
  redis: RedisServer;
  processes: ServerProcess[];
  /** The front's URL (nginx), or the first process's without nginx. */
  url: string;
  nginx?: NginxServer;
  /** Start process `index` again on its own port (after `kill9`/`stop`). */
  restart(index: number): Promise<ServerProcess>;
  /** Which process (index) logged `text` (e.g. a participant id at its join). */
  processHolding(text: string): number;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  processes?: number;
  nginx?: boolean;
  env?: Record<string, string>;
  appendfsync?: 'always' | 'everysec';
}

export async function startRedisCluster(options: ClusterOptions = {}): Promise<RedisCluster> {
  const started: { redis?: RedisServer; processes: ServerProcess[]; nginx?: NginxServer } = { processes: [] };
  const stopAll = async () => {
    await started.nginx?.stop().catch(() => undefined);
    await Promise.all(started.processes.map((p) => p.stop().catch(() => undefined)));
    await started.redis?.dispose().catch(() => undefined);
  };
  try {
    const redis = await startRedisServer({ appendfsync: options.appendfsync ?? 'always' });
    started.redis = redis;
    const ports: number[] = [];
    for (let i = 0; i < (options.processes ?? 2); i++) ports.push(await freePort());
    const envFor = () => ({
      STORE: 'redis',
      REDIS_URL: redis.url,
      LOG_LEVEL: 'info',
      JOIN_RATE_PER_MINUTE: '100000',
      CREATE_RATE_PER_MINUTE: '10000',
      ...options.env,
    });
    for (const port of ports) started.processes.push(await startServerProcess(envFor(), port));
    if (options.nginx !== false) started.nginx = await startNginx(ports);
    const cluster: RedisCluster = {
      redis,
      processes: started.processes,
      url: started.nginx?.url ?? started.processes[0]!.url,
      nginx: started.nginx,
      async restart(index) {
        const fresh = await startServerProcess(envFor(), ports[index]);
        started.processes[index] = fresh;
        return fresh;
      },
      processHolding(text) {
        return started.processes.findIndex((p) => p.output.join('').includes(text));
      },
      stop: stopAll,
    };
    return cluster;
  } catch (error) {
    await stopAll();
    throw error;
  }
}
