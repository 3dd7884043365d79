/**
 * Issue 14: fast-check against the real server over real sockets. Members send random commands —
 * well-formed, half-formed, garbage, without an ack callback — and strangers send random
 * handshakes, while an observer (a facilitator who only listens) checks every snapshot it is sent.
 * Invariants: every ack is well-formed; versions only rise; every snapshot is a valid circle
 * state with no secret in it; the piece and the queue name members of the circle; the server stays
 * up and still seats newcomers.
 */
import { COMMAND_ERROR_CODES, COMMAND_TYPES, JOIN_ERROR_CODES, type CircleState, circleStateSchema } from '@spiral/shared';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeAllSockets, createCircle, join, joinError, type Member, startServer, type TestServer } from '../support/harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ config: { joinRatePerMinute: 100_000, createRatePerMinute: 100_000 } });
});
afterAll(() => server.close());
afterEach(() => closeAllSockets());

let runs = 0;
const stats = { commands: 0, snapshots: 0 };

/** What a member may send: from a well-formed command with fields drawn from the circle's ids to plain garbage. */
function payloadArb(ids: string[]): fc.Arbitrary<unknown> {
  const id = fc.oneof(fc.constantFrom(...ids), fc.string({ maxLength: 12 }));
  const field = fc.oneof(id, fc.integer({ min: -5, max: 10_000_000 }), fc.boolean(), fc.constant(null), fc.string({ maxLength: 30 }));
  const shaped = fc.record(
    {
      type: fc.constantFrom(...COMMAND_TYPES, 'piece.fly', ''),
      to: id,
      participantId: id,
      participantIds: fc.array(id, { maxLength: 4 }),
      name: fc.oneof(fc.constantFrom('Ann', '\u200b', 'A\u202eB', ' '), fc.string({ maxLength: 70 })),
      durationMs: field,
      mode: fc.constantFrom('round', 'open', 'popcorn', 'queue', 'bogus'),
      stage: fc.constantFrom('gratitude', 'pain', 'new-eyes', 'forth', 'x'),
      locked: field,
      role: fc.constantFrom('facilitator', 'participant', 'king'),
      strikes: field,
      kind: fc.constantFrom('heart', 'hear', 'thanks', 'boo'),
      index: field,
      text: fc.string({ maxLength: 40 }),
      steps: fc.constantFrom([], 'none', [{ title: 'x' }]),
    },
    { requiredKeys: ['type'] },
  );
  return fc.oneof({ weight: 6, arbitrary: shaped }, { weight: 1, arbitrary: fc.anything() });
}

interface Sent {
  actor: number;
  payload: unknown;
  /** Emitted without an ack callback: the server must take it as nothing. */
  ackless: boolean;
}

function checkSnapshot(state: unknown, secrets: string[], previousVersion: number): CircleState {
  const parsed = circleStateSchema.safeParse(state);
  expect(parsed.success, parsed.success ? '' : parsed.error.message).toBe(true);
  const circle = parsed.data!;
  expect(circle.version).toBeGreaterThan(previousVersion);
  const json = JSON.stringify(state);
  for (const secret of secrets) expect(json).not.toContain(secret);
  const ids = new Set(circle.participants.map((p) => p.id));
  if (circle.piece.holderId !== null) expect(ids.has(circle.piece.holderId)).toBe(true);
  expect(new Set(circle.piece.queue).size).toBe(circle.piece.queue.length);
  for (const queued of circle.piece.queue) expect(ids.has(queued)).toBe(true);
  return circle;
}

describe('socket-level fuzz', () => {
  it('random commands from members: every ack well-formed, every snapshot valid, versions rising, no secret sent', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ actor: fc.nat({ max: 3 }), payload: payloadArb(['p_a', 'p_b']), ackless: fc.boolean() }), { minLength: 5, maxLength: 40 }),
        async (sent: Sent[]) => {
          const headers = { 'x-forwarded-for': `203.0.113.${(runs++ % 250) + 1}` };
          const circle = await createCircle(server.url, { title: 'Fuzzed' });
          const observer = await join(server.url, { circleId: circle.circleId, name: 'Observer', facilitatorKey: circle.facilitatorKey }, headers);
          const members: Member[] = [await join(server.url, { circleId: circle.circleId, name: 'Host', facilitatorKey: circle.facilitatorKey }, headers)];
          for (const name of ['Ada', 'Bea', 'Cy']) members.push(await join(server.url, { circleId: circle.circleId, name }, headers));
          const secrets = [circle.facilitatorKey, observer.welcome.sessionToken, ...members.map((m) => m.welcome.sessionToken)];
          const ids = members.map((m) => m.welcome.participantId);
          let version = 0;
          for (const state of observer.states) version = checkSnapshot(state, secrets, version).version;
          const firstUnchecked = observer.states.length;

          for (const { actor, payload: raw, ackless } of sent) {
            // Point some commands at real members.
            const payload = JSON.parse(JSON.stringify(raw ?? null, (_k, v: unknown) => (v === 'p_a' ? ids[1] : v === 'p_b' ? ids[2] : v)) ?? 'null') as unknown;
            const member = members[actor]!;
            if (!member.socket.connected) continue;
            if (ackless) {
              // Untyped on purpose: the contract always passes an ack; a hostile client need not.
              (member.socket.emit as (event: string, ...args: unknown[]) => unknown).call(member.socket, 'circle:command', payload);
              continue;
            }
            const ack = await Promise.race([
              member.send(payload as Record<string, unknown>),
              new Promise<'gone'>((resolve) => member.socket.once('disconnect', () => resolve('gone'))),
            ]);
            if (ack === 'gone') continue; // removed by another member's command
            if (ack.ok && 'version' in ack) expect(Number.isInteger(ack.version)).toBe(true);
            else if (ack.ok) expect(['p2p', 'livekit']).toContain(ack.mode);
            else {
              expect(COMMAND_ERROR_CODES).toContain(ack.error.code);
              expect(ack.error.message.length).toBeGreaterThan(0);
            }
          }
          // Everything sent has been handled once the observer's own round trip is back.
          await new Promise<void>((resolve) => observer.socket.emit('clock:sync', () => resolve()));
          for (const state of observer.states.slice(firstUnchecked)) version = checkSnapshot(state, secrets, version).version;
          expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
          stats.commands += sent.length;
          stats.snapshots += observer.states.length;
          closeAllSockets();
        },
      ),
      { numRuns: 60 },
    );
    console.log(`socket fuzz: ${stats.commands} commands sent, ${stats.snapshots} snapshots checked`);
    // Still seating newcomers afterwards.
    const circle = await createCircle(server.url, { title: 'After the fuzz' });
    expect((await join(server.url, { circleId: circle.circleId, name: 'Newcomer' })).welcome.participantId).toMatch(/^p_/);
  }, 120_000);

  it('random handshakes: each is seated or refused with a known code, and the server stays up', async () => {
    const circle = await createCircle(server.url, { title: 'Front door' });
    const authArb = fc.oneof(
      fc.anything(),
      fc.record(
        {
          circleId: fc.oneof(fc.constant(circle.circleId), fc.string({ maxLength: 30 })),
          name: fc.oneof(fc.constantFrom('Ann', '\u200b\u200b', 'Fac\u200bilitator', 'A\u202eB', ''), fc.string({ maxLength: 80 })),
          sessionToken: fc.string({ maxLength: 40 }),
          facilitatorKey: fc.oneof(fc.constant(circle.facilitatorKey), fc.string({ maxLength: 40 })),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(authArb, async (auth) => {
        const outcome = await joinError(server.url, auth as Record<string, unknown>, { 'x-forwarded-for': `198.51.100.${(runs++ % 250) + 1}` });
        if (outcome === 'joined') return;
        // Socket.IO itself drops a CONNECT whose auth is not a plain object, before our handshake.
        const plainObject = typeof auth === 'object' && auth !== null && !Array.isArray(auth);
        if (!plainObject && /disconnected before the first snapshot/.test(outcome)) return;
        expect(JOIN_ERROR_CODES as readonly string[]).toContain(outcome);
      }),
      { numRuns: 150 },
    );
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  }, 120_000);
});
