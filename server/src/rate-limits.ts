import { BurstyRateLimiter, RateLimiterMemory } from 'rate-limiter-flexible';

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
 * Commands per connection: 10 a second sustained, plus a burst allowance of 30 more per 10 s, so a
 * burst of 30 and then 10 a second are never limited. Keyed by socket id: one connection's limit
 * never touches another's.
 */
export function commandRateLimit(): RateLimit {
  const sustained = new RateLimiterMemory({ points: 10, duration: 1 });
  const burst = new RateLimiterMemory({ keyPrefix: 'burst', points: 30, duration: 10 });
  return fromLimiter(new BurstyRateLimiter(sustained, burst));
}

/** Joins per client address per minute (`JOIN_RATE_PER_MINUTE`). */
export function joinRateLimit(perMinute: number): RateLimit {
  return fromLimiter(new RateLimiterMemory({ keyPrefix: 'join', points: perMinute, duration: 60 }));
}

/** Circle creations per client address per minute. */
export function createRateLimit(perMinute: number): RateLimit {
  return fromLimiter(new RateLimiterMemory({ keyPrefix: 'create', points: perMinute, duration: 60 }));
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
