import type { Redis } from 'ioredis';
import { TokenBucket } from 'limiter';
import { BurstyRateLimiter, type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';

/** Allowed when it resolves; refused when the key is over its limit. */
export interface RateLimit {
  allow(key: string): Promise<boolean>;
}

function fromLimiter(limiter: { consume(key: string, points?: number): Promise<unknown> }): RateLimit {
  return {
    async allow(key) {
      try {
        await limiter.consume(key);
        return true;
      } catch (rejection) {
        if (rejection instanceof Error) throw rejection;
        return false;
      }
    },
  };
}

/**
 * Commands per connection: a token bucket holding 30 that refills 10 a second, so a burst of 30
 * and then 10 a second are never limited. One bucket per connection: one connection's limit never
 * touches another's.
 */
export function commandRateLimit(): RateLimit {
  const bucket = new TokenBucket({ bucketSize: 30, tokensPerInterval: 10, interval: 'second' });
  bucket.content = bucket.bucketSize;
  return { allow: async () => bucket.tryRemoveTokens(1) };
}

/** What a limit counts in: a name, how many points, over how many seconds. */
export interface LimiterOptions {
  keyPrefix: string;
  points: number;
  duration: number;
}

/**
 * Where limits keyed by something wider than one connection (a client address, a circle) keep their
 * counts: this process's memory, or Redis so that every process behind the front shares them.
 */
export interface LimiterBackend {
  readonly kind: 'memory' | 'redis';
  limiter(options: LimiterOptions): RateLimiterAbstract;
}

export const memoryLimiters: LimiterBackend = {
  kind: 'memory',
  limiter: (options) => new RateLimiterMemory(options),
};

/**
 * Limits shared through Redis (`rate-limiter-flexible`'s Redis store with the ioredis client). While
 * Redis is unreachable each process falls back to counting in its own memory (the insurance limiter),
 * so an outage neither refuses everyone nor lifts the limits.
 */
export function redisLimiters(redis: Redis, prefix: string): LimiterBackend {
  return {
    kind: 'redis',
    limiter: (options) =>
      new RateLimiterRedis({
        ...options,
        keyPrefix: `${prefix}limit:${options.keyPrefix}`,
        storeClient: redis,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory(options),
      }),
  };
}

/** Joins per client address per minute (`JOIN_RATE_PER_MINUTE`). */
export function joinRateLimit(perMinute: number, backend: LimiterBackend = memoryLimiters): RateLimit {
  return fromLimiter(backend.limiter({ keyPrefix: 'join', points: perMinute, duration: 60 }));
}

/** Circle creations per client address per minute. */
export function createRateLimit(perMinute: number, backend: LimiterBackend = memoryLimiters): RateLimit {
  return fromLimiter(backend.limiter({ keyPrefix: 'create', points: perMinute, duration: 60 }));
}

/**
 * Peer-to-peer signalling per connection: joining a session of six sends an offer or answer and a
 * few dozen ICE candidates per peer at once, so the burst is generous; sustained traffic is small.
 */
export function signalRateLimit(): RateLimit {
  const sustained = new RateLimiterMemory({ keyPrefix: 'signal', points: 40, duration: 1 });
  const burst = new RateLimiterMemory({ keyPrefix: 'signal-burst', points: 400, duration: 30 });
  return fromLimiter(new BurstyRateLimiter(sustained, burst));
}

/** Gestures per member: one a second (PROTOCOL.md v1.1); a refused gesture does not count. */
export function gestureRateLimit(): RateLimit {
  return fromLimiter(new RateLimiterMemory({ keyPrefix: 'gesture', points: 1, duration: 1 }));
}

/**
 * Handshakes of any kind per client address per minute: a generous, cheap guard so garbage
 * handshakes (an unknown circle, a malformed auth) cannot flood the server, while they never spend
 * the join budget (`joinRateLimit`), which only handshakes that reach a real circle's checks use.
 */
export function handshakeRateLimit(perMinute = 6_000, backend: LimiterBackend = memoryLimiters): RateLimit {
  return fromLimiter(backend.limiter({ keyPrefix: 'handshake', points: perMinute, duration: 60 }));
}
