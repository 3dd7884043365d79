/** Issue 14: headers that fit the origin, TRUST_PROXY, ack-only commands, human text, the create quota, pings. */
import type { CommandAck } from '@spiral/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAllSockets, createCircle, join, joinError, seatCircle, startServer, type StartOptions, type TestServer } from '../support/harness.js';

const servers: TestServer[] = [];
async function serve(config: StartOptions['config'] = {}): Promise<TestServer> {
  const server = await startServer({ config });
  servers.push(server);
  return server;
}
afterEach(async () => {
  closeAllSockets();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('headers that fit the origin', () => {
  it('sends no upgrade-insecure-requests and no HSTS for an http origin', async () => {
    const server = await serve({ publicOrigin: 'http://lan-host:3000' });
    const res = await fetch(`${server.url}/`);
    expect(res.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('keeps both for an https origin', async () => {
    const server = await serve({ publicOrigin: 'https://circles.example.org' });
    const res = await fetch(`${server.url}/`);
    expect(res.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });
});

describe('TRUST_PROXY', () => {
  const createFrom = (server: TestServer, forwardedFor: string) =>
    fetch(`${server.url}/api/circles`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ title: 'Proxied' }),
    });

  it('believes X-Forwarded-For from a trusted proxy (loopback by default): each forwarded address has its own quota', async () => {
    const server = await serve({ createRatePerMinute: 1 });
    expect((await createFrom(server, '203.0.113.1')).status).toBe(201);
    expect((await createFrom(server, '203.0.113.2')).status).toBe(201);
    expect((await createFrom(server, '203.0.113.2')).status).toBe(429);
  });

  it('ignores X-Forwarded-For from a proxy that is not trusted: one quota for the connection', async () => {
    const server = await serve({ createRatePerMinute: 1, trustProxy: '10.0.0.0/8, uniquelocal' });
    expect((await createFrom(server, '203.0.113.1')).status).toBe(201);
    expect((await createFrom(server, '203.0.113.2')).status).toBe(429);
  });

  it('applies the same rule to the join budget', async () => {
    const trusted = await serve({ joinRatePerMinute: 1 });
    const a = await createCircle(trusted.url);
    await join(trusted.url, { circleId: a.circleId, name: 'One' }, { 'x-forwarded-for': '203.0.113.1' });
    await join(trusted.url, { circleId: a.circleId, name: 'Two' }, { 'x-forwarded-for': '203.0.113.2' });
    const untrusted = await serve({ joinRatePerMinute: 1, trustProxy: '10.0.0.0/8' });
    const b = await createCircle(untrusted.url);
    await join(untrusted.url, { circleId: b.circleId, name: 'One' }, { 'x-forwarded-for': '203.0.113.1' });
    expect(await joinError(untrusted.url, { circleId: b.circleId, name: 'Two' }, { 'x-forwarded-for': '203.0.113.2' })).toBe('rate_limited');
  });
});

describe('ack-only and non-object commands', () => {
  it('answers a circle:command with only an ack callback: invalid', async () => {
    const server = await serve();
    const { host } = await seatCircle(server.url, []);
    const ack = await new Promise<CommandAck>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no ack')), 2_000);
      (host.socket.emit as (event: string, ack: (a: CommandAck) => void) => void)('circle:command', (a) => (clearTimeout(timer), resolve(a)));
    });
    expect(ack).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });

  it.each([['a string', 'hand.raise'], ['a number', 42], ['null', null], ['an array', [1, 2]], ['true', true]])('answers %s as payload: invalid', async (_n, payload) => {
    const server = await serve();
    const { host } = await seatCircle(server.url, []);
    const ack = await host.send(payload as never);
    expect(ack).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });
});

describe('names and titles are human text', () => {
  it('accepts a name with an invisible character inside, refuses one made only of them, and bidi controls', async () => {
    const server = await serve();
    const circle = await createCircle(server.url);
    const member = await join(server.url, { circleId: circle.circleId, name: 'Fac\u200bilitator' });
    expect(member.latest().participants.some((p) => p.name.startsWith('Fac'))).toBe(true);
    expect(await joinError(server.url, { circleId: circle.circleId, name: '\u200b\u200b' })).toBe('invalid');
    expect(await joinError(server.url, { circleId: circle.circleId, name: 'evil\u202eegassem' })).toBe('invalid');
    expect(await member.send({ type: 'name.set', name: '\u2066\u2069' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await member.send({ type: 'name.set', name: 'Cafe\u0301' })).toMatchObject({ ok: true });
    expect((await member.waitFor((s) => s.participants.some((p) => p.name === 'Caf\u00e9'))).version).toBeGreaterThan(0);
  });

  it('refuses a circle title of invisible characters', async () => {
    const server = await serve();
    const res = await fetch(`${server.url}/api/circles`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: '\u200d\u00ad\ufeff' }),
    });
    expect(res.status).toBe(400);
  });
});

describe('the create quota', () => {
  it('is not spent by text/plain or invalid posts, which are refused', async () => {
    const server = await serve({ createRatePerMinute: 5 });
    for (let i = 0; i < 100; i++) {
      const res = await fetch(`${server.url}/api/circles`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"title":"x"}' });
      expect(res.status).toBe(415);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid');
    }
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${server.url}/api/circles`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":""}' });
      expect(res.status).toBe(400);
    }
    await createCircle(server.url);
  });
});

describe('Engine.IO ping', () => {
  it('notices a frozen client within 15 s', async () => {
    const server = await serve();
    const { pingInterval = Infinity, pingTimeout = Infinity } = server.app.io.engine.opts;
    expect(pingInterval + pingTimeout).toBeLessThanOrEqual(15_000);
    const { host, others } = await seatCircle(server.url, ['Frozen']);
    const frozen = others[0]!;
    const engine = frozen.socket.io.engine as unknown as { _sendPacket: (type: string, ...rest: unknown[]) => void };
    const send = engine._sendPacket.bind(engine);
    engine._sendPacket = (type, ...rest) => (type === 'pong' ? undefined : send(type, ...rest));
    const started = Date.now();
    const id = frozen.welcome.participantId;
    await host.waitFor((s) => s.participants.some((p) => p.id === id && !p.connected), 16_000);
    expect(Date.now() - started).toBeLessThanOrEqual(15_000);
  }, 20_000);
});
