import type { Redis } from 'ioredis';

/** A Lua script on one ioredis client: sent once, then run by its SHA (EVALSHA), one round trip. */
export type RedisScript = (keys: string[], args: (string | number)[]) => Promise<unknown>;

type ScriptCommand = (...args: (string | number)[]) => Promise<unknown>;

let defined = 0;

/** Define `lua` on `redis` (ioredis' `defineCommand`, which falls back to EVAL after a NOSCRIPT). */
export function redisScript(redis: Redis, numberOfKeys: number, lua: string): RedisScript {
  const name = `spiralScript${++defined}`;
  redis.defineCommand(name, { numberOfKeys, lua });
  const command = (redis as unknown as Record<string, ScriptCommand>)[name];
  if (typeof command !== 'function') throw new Error(`ioredis did not define ${name}`);
  return (keys, args) => command.call(redis, ...keys, ...args);
}
