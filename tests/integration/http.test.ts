import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCircle, startServer, type TestServer } from '../support/harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ config: { publicOrigin: 'https://circles.example.org' } });
});
afterAll(() => server.close());

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/circles`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('HTTP API', () => {
  it('answers health', async () => {
    const res = await fetch(`${server.url}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('creates a circle with unguessable ids and links on PUBLIC_ORIGIN, never the Host header', async () => {
    const res = await post(JSON.stringify({ title: '  Grief circle  ' }), { host: 'evil.example.com' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['circleId', 'facilitatorKey', 'facilitatorUrl', 'inviteUrl']);
    expect(body.circleId).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(Buffer.from(body.circleId!, 'base64url').length * 8).toBeGreaterThanOrEqual(96);
    expect(Buffer.from(body.facilitatorKey!, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(body.inviteUrl).toBe(`https://circles.example.org/c/${body.circleId}`);
    expect(body.facilitatorUrl).toBe(`https://circles.example.org/c/${body.circleId}#host=${body.facilitatorKey}`);
    const summary = await (await fetch(`${server.url}/api/circles/${body.circleId}`)).json();
    expect(summary).toEqual({
      circleId: body.circleId, title: 'Grief circle', stage: 'gratitude', participantCount: 0, locked: false, question: null, template: 'wtr-spiral',
      startsAt: null, durationMin: null, description: null, timeZone: null, listed: false,
    });
    expect(JSON.stringify(summary)).not.toContain(body.facilitatorKey);
  });

  it('gives every new circle a distinct id', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++) ids.add((await createCircle(server.url)).circleId);
    expect(ids.size).toBe(20);
  });

  it.each([
    ['an empty title', { title: '   ' }],
    ['a missing title', {}],
    ['a title over 120 characters', { title: 'x'.repeat(121) }],
    ['a title that is not a string', { title: 42 }],
    ['an unknown template', { title: 'ok', template: 'zoom' }],
    ['an array body', [1, 2]],
  ])('refuses %s with 400 invalid', async (_name, body) => {
    const res = await post(JSON.stringify(body));
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe('invalid');
    expect(json.error.message.length).toBeGreaterThan(5);
  });

  it('refuses malformed JSON with 400 invalid', async () => {
    const res = await post('{"title": ');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid');
  });

  it('refuses a body over 16 KB', async () => {
    const res = await post(JSON.stringify({ title: 'a', padding: 'x'.repeat(17 * 1024) }));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid');
  });

  it('answers 404 not_found for an unknown circle and an unknown API route', async () => {
    const res = await fetch(`${server.url}/api/circles/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'There is no such circle.' } });
    const other = await fetch(`${server.url}/api/nothing-here`);
    expect(other.status).toBe(404);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it.each([
    ['wtr-spiral', 'round', 120_000, 0],
    ['conversation-cafe', 'round', 60_000, 6],
    ['open', 'open', 120_000, 0],
  ] as const)('applies the %s template', async (template, mode, speakerTimeMs, agreements) => {
    const { circleId } = await createCircle(server.url, { title: 'T', template });
    const state = await server.app.service.state(circleId);
    expect(state?.piece.mode).toBe(mode);
    expect(state?.settings).toEqual({ speakerTimeMs, facilitatorsMaySpeak: true, maxParticipants: 50 });
    expect(state?.agreements).toHaveLength(agreements);
    expect(state?.stage).toMatchObject({ key: 'gratitude', cycle: 1 });
    expect(state?.timer).toEqual({ label: '', durationMs: 0, running: false, endsAt: null, remainingMs: 0 });
  });

  it('sends security headers (helmet)', async () => {
    const res = await fetch(`${server.url}/api/health`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});
