/**
 * v1.1 (first half) against the built server process (`pnpm --filter @spiral/server build`), speaking
 * only the protocol: the plan, bells, silence, gestures, seat order, co-facilitators, timer.add,
 * passes with `from`, the question and intentions — and a timed silence that survives kill -9.
 */
import type { CircleState, Gesture } from '@spiral/shared';
import { describe, expect, it } from 'vitest';
import { closeAllSockets, createCircle, join, roundTrip, type Member } from '../support/harness.js';
import { useBlackboxServer } from '../support/blackbox-server.js';

const blackbox = useBlackboxServer('v11-blackbox');

const idOf = (m: Member) => m.welcome.participantId;
const refusedWith = (code: string) => ({ ok: false, error: { code, message: expect.any(String) } });

async function seat(body: Record<string, unknown>, names: string[]) {
  const circle = await createCircle(blackbox.current.url, body);
  const host = await join(blackbox.current.url, { circleId: circle.circleId, name: 'Joanna', facilitatorKey: circle.facilitatorKey });
  const others: Member[] = [];
  for (const name of names) others.push(await join(blackbox.current.url, { circleId: circle.circleId, name }));
  await Promise.all([host, ...others].map(roundTrip));
  return { circle, host, others };
}

/** Snapshots each member received newer than `version`, once every earlier one has arrived. */
async function snapshotsAfter(everyone: Member[], version: number): Promise<CircleState[][]> {
  await Promise.all(everyone.map(roundTrip));
  return everyone.map((m) => m.states.filter((s) => s.version > version));
}

describe('black box v1.1: the built server process', () => {
  it('a café with its question: the plan walked with plan.next, one snapshot and one version per step', async () => {
    const { circle, host, others } = await seat({ title: 'Café', template: 'conversation-cafe', question: 'What is enough?' }, ['Bea']);
    const summary = await (await fetch(`${blackbox.current.url}/api/circles/${circle.circleId}`)).json();
    expect(summary).toMatchObject({ question: 'What is enough?', template: 'conversation-cafe', participantCount: 2 });
    const state = host.latest();
    expect(state).toMatchObject({ question: 'What is enough?', bell: null, silence: null, breakouts: null, intentions: [], plan: { current: null } });
    const steps = state.plan.steps;
    expect(steps.slice(0, 5).map((s) => s.mode)).toEqual(['open', 'round', 'round', 'open', 'round']);

    for (let index = 0; index < steps.length; index++) {
      const version = host.latest().version;
      expect(await host.send({ type: 'plan.next' })).toEqual({ ok: true, version: version + 1 });
      for (const snapshots of await snapshotsAfter([host, ...others], version)) {
        expect(snapshots).toHaveLength(1);
        expect(snapshots[0]).toMatchObject({ version: version + 1, plan: { current: index }, piece: { mode: steps[index]!.mode } });
      }
    }
    expect(await host.send({ type: 'plan.next' })).toEqual(refusedWith('conflict'));
    expect(await host.send({ type: 'plan.go', index: 99 })).toEqual(refusedWith('not_found'));
    expect(await others[0]!.send({ type: 'plan.go', index: 0 })).toEqual(refusedWith('forbidden'));
    expect(await host.send({ type: 'plan.set', steps: [{ title: 'Only a title' }] } as Record<string, unknown>)).toEqual(refusedWith('invalid'));
  });

  it('bells, silence, gestures: seen by everyone; nobody speaks in silence; one gesture a second', async () => {
    const { host, others } = await seat({ title: 'Spiral' }, ['Bea', 'Cy']);
    const [bea, cy] = others as [Member, Member];
    const everyone = [host, bea, cy];
    const gestures = everyone.map((m) => {
      const seen: Gesture[] = [];
      m.socket.on('circle:gesture', (g) => seen.push(g));
      return seen;
    });

    expect(await host.send({ type: 'bell.ring', strikes: 3 })).toMatchObject({ ok: true });
    for (const m of everyone) {
      const { bell } = await m.waitFor((s) => s.bell !== null);
      expect(bell).toMatchObject({ id: 1, strikes: 3 });
    }

    expect(await host.send({ type: 'silence.end' })).toEqual(refusedWith('conflict'));
    expect(await host.send({ type: 'silence.start', durationMs: 4_999 })).toEqual(refusedWith('invalid'));
    expect(await bea.send({ type: 'silence.start' })).toEqual(refusedWith('forbidden'));
    expect(await host.send({ type: 'silence.start' })).toMatchObject({ ok: true });
    const quiet = await cy.waitFor((s) => s.silence !== null);
    expect(quiet.silence).toMatchObject({ endsAt: null });
    expect(await host.send({ type: 'silence.end' })).toMatchObject({ ok: true });
    const after = await cy.waitFor((s) => s.silence === null && s.version > quiet.version);
    expect(after.bell).toMatchObject({ id: 2, strikes: 1 });
    expect(after.bell!.at - quiet.silence!.since).toBeGreaterThanOrEqual(300);

    const version = host.latest().version;
    expect(await bea.send({ type: 'gesture.send', kind: 'thanks' })).toEqual({ ok: true, version });
    expect(await bea.send({ type: 'gesture.send', kind: 'heart' })).toEqual(refusedWith('rate_limited'));
    for (const seen of gestures) await expect.poll(() => seen.length).toBe(1);
    for (const seen of gestures) expect(seen[0]).toEqual({ from: idOf(bea), kind: 'thanks', at: expect.any(Number) });
    expect((await snapshotsAfter(everyone, version)).flat()).toEqual([]);
  });

  it('seats, roles, timer.add, passes with from, intentions', async () => {
    const { host, others } = await seat({ title: 'Spiral' }, ['Bea', 'Cy', 'Dee']);
    const [bea, cy, dee] = others as [Member, Member, Member];
    const ids = [host, bea, cy, dee].map(idOf);

    // seats.order: invalid before forbidden; then seats 0, 1, 2, 3.
    expect(await bea.send({ type: 'seats.order', participantIds: ids.slice(1) })).toEqual(refusedWith('invalid'));
    expect(await bea.send({ type: 'seats.order', participantIds: [...ids].reverse() })).toEqual(refusedWith('forbidden'));
    expect(await host.send({ type: 'seats.order', participantIds: [...ids].reverse() })).toMatchObject({ ok: true });
    const seated = await dee.waitFor((s) => s.participants.some((p) => p.seat === 0));
    expect(Object.fromEntries(seated.participants.map((p) => [p.id, p.seat]))).toEqual({ [ids[3]!]: 0, [ids[2]!]: 1, [ids[1]!]: 2, [ids[0]!]: 3 });

    // participant.role
    expect(await host.send({ type: 'participant.role', participantId: idOf(host), role: 'participant' })).toEqual(refusedWith('conflict'));
    expect(await host.send({ type: 'participant.role', participantId: idOf(cy), role: 'facilitator' })).toMatchObject({ ok: true });
    expect(await cy.send({ type: 'bell.ring' })).toMatchObject({ ok: true });

    // timer.add
    expect(await host.send({ type: 'timer.add', ms: 60_000 })).toEqual(refusedWith('conflict'));
    await host.send({ type: 'timer.start', durationMs: 120_000 });
    const started = await host.waitFor((s) => s.timer.running);
    expect(await cy.send({ type: 'timer.add', ms: 60_000 })).toMatchObject({ ok: true });
    expect((await bea.waitFor((s) => s.timer.endsAt === started.timer.endsAt! + 60_000)).timer.running).toBe(true);
    expect(await host.send({ type: 'timer.add', ms: 0 })).toEqual(refusedWith('invalid'));

    // Two passes seeing the same holder at once: one goes through, nobody is skipped.
    await host.send({ type: 'piece.pass', to: idOf(dee) }); // seat 0
    await dee.waitFor((s) => s.piece.holderId === idOf(dee));
    const acks = await Promise.all([dee.send({ type: 'piece.pass', from: idOf(dee) }), host.send({ type: 'piece.pass', from: idOf(dee) })]);
    expect(acks.filter((a) => a.ok)).toHaveLength(1);
    expect(acks.filter((a) => !a.ok)).toEqual([refusedWith('conflict')]);
    await Promise.all([host, bea, cy, dee].map(roundTrip));
    expect(host.latest().piece.holderId).toBe(idOf(cy)); // seat 1, after Dee

    // Intentions
    expect(await bea.send({ type: 'intention.share', text: 'Walk to work' })).toMatchObject({ ok: true });
    expect((await dee.waitFor((s) => s.intentions.length === 1)).intentions).toMatchObject([{ participantId: idOf(bea), text: 'Walk to work' }]);
    expect(await bea.send({ type: 'intention.withdraw' })).toMatchObject({ ok: true });
    await dee.waitFor((s) => s.intentions.length === 0);
  });

  it('a silence with durationMs survives kill -9 and a restart, and still ends with a bell', async () => {
    const { circle, host } = await seat({ title: 'Kill me' }, []);
    expect(await host.send({ type: 'silence.start', durationMs: 5_000 })).toMatchObject({ ok: true });
    const { silence } = await host.waitFor((s) => s.silence !== null);
    expect(silence!.endsAt).toBe(silence!.since + 5_000);

    closeAllSockets();
    await blackbox.killAndRestart();

    const back = await join(blackbox.current.url, { circleId: circle.circleId, sessionToken: host.welcome.sessionToken });
    // Still silent on return (unless the restart took longer than the silence), then it ends by itself.
    const ended = await back.waitFor((s) => s.silence === null, 10_000);
    expect(ended.bell).toMatchObject({ id: 1, strikes: 1 });
    expect(ended.bell!.at).toBeGreaterThanOrEqual(silence!.endsAt! + 300);
    expect(await back.send({ type: 'silence.end' })).toEqual(refusedWith('conflict'));
  });
});
