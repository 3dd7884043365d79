import path from 'node:path';
import { DEFAULT_CIRCLE_TTL_DAYS, iceServersSchema } from '@spiral/shared';
import { z } from 'zod';
import { trustProxyFunction } from './socket/client-address.js';
import { DEFAULT_SEATS_PER_ADDRESS } from './socket/seats-by-address.js';

const iceServersFromEnv = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON, e.g. [{"urls":"stun:stun.example.org:3478"}]' });
      return z.NEVER;
    }
  })
  .pipe(iceServersSchema);

const intFromEnv = (fallback: number, min: number) =>
  z.coerce.number().int().min(min).default(fallback);

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    HOST: z.string().min(1).optional(),
    PUBLIC_ORIGIN: z.url({ protocol: /^https?$/ }).optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    STORE: z.enum(['sqlite', 'memory', 'redis']).default('sqlite'),
    /** With STORE=redis: the Redis every process shares (circles, wake-ups, rate limits, Socket.IO's adapter). */
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    /** Prefix of every Spiral key in that Redis (several deployments may share one). */
    /** With STORE=redis: a process silent this long is taken for dead and its members are marked away. */
    PROCESS_TTL_MS: intFromEnv(10_000, 1_000).pipe(z.number().max(300_000)),
    REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]{1,40}$/, 'letters, digits, ":", "_" or "-", at most 40').default('spiral:'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    HOLDER_GRACE_MS: intFromEnv(30_000, 0).pipe(z.number().max(86_400_000)),
    JOIN_RATE_PER_MINUTE: intFromEnv(600, 1),
    CREATE_RATE_PER_MINUTE: intFromEnv(60, 1),
    /** Unscheduled circles idle this many days are deleted with their secrets (scheduled ones once they end). */
    CIRCLE_TTL_DAYS: intFromEnv(DEFAULT_CIRCLE_TTL_DAYS, 1).pipe(z.number().max(3650)),
    /** Proxies whose X-Forwarded-For is believed, in Express' `trust proxy` syntax. */
    TRUST_PROXY: z
      .string()
      .trim()
      .default('loopback')
      .refine(
        (value) => {
          try {
            trustProxyFunction(value);
            return true;
          } catch {
            return false;
          }
        },
        { message: "must be Express' trust proxy syntax: true, false, a number of hops, or addresses/subnets/loopback/linklocal/uniquelocal separated by commas" },
      ),
    /** Simultaneous seats one address may hold in one circle (a facilitator key is never refused by it). */
    SEATS_PER_ADDRESS: intFromEnv(DEFAULT_SEATS_PER_ADDRESS, 1),
    CLIENT_DIST: z.string().min(1).optional(),
    P2P_MAX_PEERS: intFromEnv(12, 2),
    ICE_SERVERS: iceServersFromEnv.optional(),
    LIVEKIT_URL: z.url({ protocol: /^(wss?|https?)$/ }).optional(),
    LIVEKIT_API_KEY: z.string().min(1).optional(),
    LIVEKIT_API_SECRET: z.string().min(1).optional(),
  })
  .refine(
    (env) => [env.LIVEKIT_URL, env.LIVEKIT_API_KEY, env.LIVEKIT_API_SECRET].every((v) => v === undefined) ||
      [env.LIVEKIT_URL, env.LIVEKIT_API_KEY, env.LIVEKIT_API_SECRET].every((v) => v !== undefined),
    { message: 'set all three of LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET, or none', path: ['LIVEKIT_URL'] },
  )
  .refine((env) => env.STORE !== 'redis' || env.REDIS_URL !== undefined, {
    message: 'REDIS_URL is required with STORE=redis (e.g. redis://127.0.0.1:6379)',
    path: ['REDIS_URL'],
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.PUBLIC_ORIGIN !== undefined, {
    message: 'PUBLIC_ORIGIN is required in production (the origin people open, e.g. https://circles.example.org)',
    path: ['PUBLIC_ORIGIN'],
  })
  .transform((env) => {
    const publicOrigin = new URL(env.PUBLIC_ORIGIN ?? `http://localhost:${env.PORT}`).origin;
    return {
      nodeEnv: env.NODE_ENV,
      port: env.PORT,
      host: env.HOST,
      publicOrigin,
      /** Outside production, browser pages on localhost (any port) may connect too. */
      allowLocalhostOrigins: env.NODE_ENV !== 'production',
      dataDir: path.resolve(env.DATA_DIR),
      store: env.STORE,
      redis: env.STORE === 'redis' && env.REDIS_URL !== undefined ? { url: env.REDIS_URL, prefix: env.REDIS_PREFIX, processTtlMs: env.PROCESS_TTL_MS } : undefined,
      logLevel: env.LOG_LEVEL,
      holderGraceMs: env.HOLDER_GRACE_MS,
      joinRatePerMinute: env.JOIN_RATE_PER_MINUTE,
      createRatePerMinute: env.CREATE_RATE_PER_MINUTE,
      trustProxy: env.TRUST_PROXY,
      seatsPerAddress: env.SEATS_PER_ADDRESS,
      circleTtlDays: env.CIRCLE_TTL_DAYS,
      clientDist: env.CLIENT_DIST === undefined ? undefined : path.resolve(env.CLIENT_DIST),
      p2pMaxPeers: env.P2P_MAX_PEERS,
      iceServers: env.ICE_SERVERS ?? [],
      livekit:
        env.LIVEKIT_URL && env.LIVEKIT_API_KEY && env.LIVEKIT_API_SECRET
          ? { url: env.LIVEKIT_URL, apiKey: env.LIVEKIT_API_KEY, apiSecret: env.LIVEKIT_API_SECRET }
          : undefined,
    };
  });

export type Config = z.output<typeof configSchema>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; message: string };

/** Parse the environment once; a bad value gives a message naming each variable and the problem. */
export function loadConfig(env: NodeJS.ProcessEnv): ConfigResult {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return { ok: true, config: parsed.data };
  const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(environment)'}: ${issue.message}`);
  return { ok: false, message: `Spiral cannot start: invalid configuration\n${lines.join('\n')}` };
}

/** A configuration for tests and embedding: defaults, with overrides. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const parsed = configSchema.parse({ NODE_ENV: 'test', STORE: 'memory', LOG_LEVEL: 'silent', PORT: '0' });
  return { ...parsed, ...overrides };
}
