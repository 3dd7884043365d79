import { describe, expect, it } from 'vitest';
import { livekitOrigins } from './app.js';
import { loadConfig } from './config.js';

describe('configuration', () => {
  it('has defaults that work on a laptop', () => {
    const result = loadConfig({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toMatchObject({ port: 3000, publicOrigin: 'http://localhost:3000', store: 'sqlite', holderGraceMs: 30_000, p2pMaxPeers: 12, iceServers: [], circleTtlDays: 30 });
    expect(loadConfig({ CIRCLE_TTL_DAYS: '7' })).toMatchObject({ ok: true, config: { circleTtlDays: 7 } });
    expect(result.config.livekit).toBeUndefined();
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ STORE: 'postgres' }, 'STORE'],
    [{ HOLDER_GRACE_MS: '-5' }, 'HOLDER_GRACE_MS'],
    [{ HOLDER_GRACE_MS: String(2 ** 31) }, 'HOLDER_GRACE_MS'],
    [{ ICE_SERVERS: 'not json' }, 'ICE_SERVERS'],
    [{ ICE_SERVERS: '[{"nope":1}]' }, 'ICE_SERVERS'],
    [{ LIVEKIT_URL: 'ws://localhost:7880' }, 'LIVEKIT_URL'],
    [{ NODE_ENV: 'production' }, 'PUBLIC_ORIGIN'],
    [{ CIRCLE_TTL_DAYS: '0' }, 'CIRCLE_TTL_DAYS'],
    [{ CIRCLE_TTL_DAYS: 'soon' }, 'CIRCLE_TTL_DAYS'],
    [{ TRUST_PROXY: '10.0.0.0/99' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: 'not-an-address' }, 'TRUST_PROXY'],
    [{ STORE: 'redis' }, 'REDIS_URL'],
    [{ STORE: 'redis', REDIS_URL: 'redis://127.0.0.1:6379', PROCESS_TTL_MS: '500' }, 'PROCESS_TTL_MS'],
    [{ STORE: 'redis', REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL'],
    [{ STORE: 'redis', REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: 'has space' }, 'REDIS_PREFIX'],
  ])('refuses %o with a message naming %s', (env, name) => {
    const result = loadConfig(env);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(name);
  });

  it('reads STORE=redis with its REDIS_URL and key prefix', () => {
    expect(loadConfig({ STORE: 'redis', REDIS_URL: 'redis://127.0.0.1:6390' })).toMatchObject({
      ok: true,
      config: { store: 'redis', redis: { url: 'redis://127.0.0.1:6390', prefix: 'spiral:', processTtlMs: 10_000 } },
    });
    expect(loadConfig({ STORE: 'redis', REDIS_URL: 'redis://10.0.0.5:6379/2', REDIS_PREFIX: 'circles:' })).toMatchObject({
      ok: true,
      config: { redis: { url: 'redis://10.0.0.5:6379/2', prefix: 'circles:' } },
    });
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6390' })).toMatchObject({ ok: true, config: { store: 'sqlite', redis: undefined } });
  });

  it('reads TRUST_PROXY in Express syntax, loopback by default', () => {
    expect(loadConfig({})).toMatchObject({ ok: true, config: { trustProxy: 'loopback' } });
    for (const value of ['1', 'true', 'false', '10.0.0.0/8, uniquelocal', 'loopback,172.16.0.0/12']) {
      expect(loadConfig({ TRUST_PROXY: value })).toMatchObject({ ok: true, config: { trustProxy: value } });
    }
  });

  it('reads LiveKit and ICE servers', () => {
    const result = loadConfig({
      LIVEKIT_URL: 'wss://lk.example.org',
      LIVEKIT_API_KEY: 'k',
      LIVEKIT_API_SECRET: 's',
      ICE_SERVERS: '[{"urls":"turn:turn.example.org:3478","username":"u","credential":"c"}]',
    });
    expect(result.ok && result.config.livekit).toEqual({ url: 'wss://lk.example.org', apiKey: 'k', apiSecret: 's' });
    expect(result.ok && result.config.iceServers).toEqual([{ urls: 'turn:turn.example.org:3478', username: 'u', credential: 'c' }]);
  });

  it('allows the LiveKit server in both its WebSocket and HTTP forms', () => {
    expect(livekitOrigins('wss://lk.example.org')).toEqual(['wss://lk.example.org', 'https://lk.example.org']);
    expect(livekitOrigins('ws://localhost:7880')).toEqual(['ws://localhost:7880', 'http://localhost:7880']);
  });
});
