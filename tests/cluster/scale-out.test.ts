/**
 * Scaled out: redis-server, two built Spiral processes with STORE=redis, and nginx in front (the
 * shipped deploy/nginx.conf), all on free 127.0.0.1 ports and stopped by PID. Members join through
 * nginx, WebSocket only, and land on both processes (round robin, no sticky sessions).
 */
import type { CircleState, CommandAck } from '@spiral/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCircle } from '../support/harness.js';
import { closeLiveMembers, joinLive, type LiveMember } from '../support/reconnecting-member.js';
import { type RedisCluster, startRedisCluster } from '../support/redis-cluster.js';
import { startServerProcess } from '../support/server-process.js';

const GRACE_MS = 1_500;
const PROCESS_TTL_MS = 3_000;
let cluster: RedisCluster;

beforeAll(async () => {
  cluster = await startRedisCluster({ processes: 2, env: { HOLDER_GRACE_MS: String(GRACE_MS), PROCESS_TTL_MS: String(PROCESS_TTL_MS) } });
});
afterEach(() => closeLiveMembers());
afterAll(async () => {
  closeLiveMembers();
  await cluster?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A facilitator and `n` participants joined through nginx, spread over both processes. */
async function spreadCircle(n: number) {
  const circle = await createCircle(cluster.url, { title: 'Scaled out' });
  const host = await joinLive(cluster.url, { circleId: circle.circleId, name: 'Host', facilitatorKey: circle.facilitatorKey });
  const others: LiveMember[] = [];
  for (let i = 0; i < n; i++) others.push(await joinLive(cluster.url, { circleId: circle.circleId, name: `M${i}` }));
  const everyone = [host, ...others];
  const where = new Map<string, number>();
  for (const m of everyone) where.set(m.participantId, await holderOf(m.participantId));
  return { circle, host, others, everyone, where };
}

/** Which process logged the member's join (its log line may trail the welcome a little). */
async function holderOf(participantId: string): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const index = cluster.processHolding(participantId);
    if (index >= 0) return index;
    await sleep(20);
  }
  return -1;
}

async function allReach(members: LiveMember[], version: number, timeoutMs = 5_000): Promise<void> {
  await Promise.all(members.map((m) => m.waitFor((s) => s.version >= version, timeoutMs)));
}

/** The version an ack gives, or NaN for a refusal, a timeout or a media answer. */
const ackedVersion = (ack: CommandAck | 'timeout' | undefined): number => (ack !== undefined && ack !== 'timeout' && ack.ok && 'version' in ack ? ack.version : NaN);

const maxVersion = (members: LiveMember[]) => Math.max(...members.map((m) => m.latest().version));
const withoutTimes = (state: CircleState) => JSON.stringify(state);

describe('two processes behind nginx sharing Redis', () => {
  it('members of one circle spread over both processes see the same versions', async () => {
    const { everyone, where } = await spreadCircle(5);
    expect(new Set(where.values())).toEqual(new Set([0, 1]));
    // Commands from members on both processes, interleaved.
    const acked: number[] = [];
    for (let round = 0; round < 3; round++) {
      const acks = await Promise.all(everyone.map((m, i) => m.send({ type: 'name.set', name: `P${i} r${round}` })));
      for (const ack of acks) {
        expect(ack).toMatchObject({ ok: true });
        if (ack !== 'timeout' && ack.ok) acked.push(ackedVersion(ack));
      }
    }
    // Every acked version is distinct: compare-and-set ordered the writers of both processes.
    expect(new Set(acked).size).toBe(acked.length);
    await allReach(everyone, Math.max(...acked));
    const finals = everyone.map((m) => withoutTimes(m.latest()));
    expect(new Set(finals).size).toBe(1);
    expect(everyone.flatMap((m) => m.conflicts)).toEqual([]);
    expect(everyone[0]!.latest().participants.map((p) => p.name).sort()).toEqual(everyone.map((_, i) => `P${i} r2`).sort());
  });

  it('a removal and a replacement reach a connection held by the other process', async () => {
    const { circle, host, others, where } = await spreadCircle(3);
    const hostProcess = where.get(host.participantId);
    const target = others.find((m) => where.get(m.participantId) !== hostProcess)!;
    expect(target).toBeDefined();
    // The same member connects again (a second tab, a network change), straight to the other process.
    const elsewhere = cluster.processes[1 - where.get(target.participantId)!]!;
    const again = await joinLive(elsewhere.url, { circleId: circle.circleId, sessionToken: target.welcomes[0]!.welcome.sessionToken });
    expect(again.participantId).toBe(target.participantId);
    target.socket.io.reconnection(false);
    for (let i = 0; i < 100 && target.removed.length === 0; i++) await sleep(20);
    expect(target.removed).toEqual([{ reason: 'replaced' }]);
    await sleep(300);
    expect(again.latest().participants.find((p) => p.id === target.participantId)?.connected).toBe(true);
    expect(again.socket.connected).toBe(true);

    // The host removes a member connected to the other process: told why, and disconnected.
    const other = others.find((m) => m !== target && where.get(m.participantId) !== hostProcess) ?? again;
    other.socket.io.reconnection(false);
    const removed = await host.send({ type: 'participant.remove', participantId: other.participantId });
    expect(removed).toMatchObject({ ok: true });
    for (let i = 0; i < 100 && (other.removed.length === 0 || other.socket.connected); i++) await sleep(20);
    expect(other.removed).toContainEqual({ reason: 'removed' });
    expect(other.socket.connected).toBe(false);
  });

  it('a process joining the running cluster leaves the members of the others alone', async () => {
    const { everyone } = await spreadCircle(3);
    const before = maxVersion(everyone);
    const third = await startServerProcess({ STORE: 'redis', REDIS_URL: cluster.redis.url, LOG_LEVEL: 'info', PROCESS_TTL_MS: String(PROCESS_TTL_MS) });
    try {
      expect(third.output.join('')).toContain('joined a running cluster');
      await sleep(1_000);
      // No `server.restart`: nobody was marked away, no version changed.
      for (const m of everyone) {
        expect(m.latest().version).toBe(before);
        expect(m.latest().participants.every((p) => p.connected)).toBe(true);
      }
    } finally {
      await third.stop();
    }
  });

  it("a timer's end and a holder's grace fire once, seen alike by members on both processes", async () => {
    const { host, others, everyone, where } = await spreadCircle(3);
    const started = await host.send({ type: 'timer.start', durationMs: 1_000, label: 'Round' });
    expect(started).toMatchObject({ ok: true });
    const v1 = ackedVersion(started);
    await Promise.all(everyone.map((m) => m.waitFor((s) => s.version > v1 && !s.timer.running && s.timer.remainingMs === 0, 5_000)));
    await sleep(800);
    // Exactly one change: the timer's end (both processes poll the wake-ups; one claims it).
    for (const m of everyone) expect(m.latest()).toMatchObject({ version: v1 + 1, timer: { running: false, remainingMs: 0 } });

    // The piece goes to a member on the other process than the host; that member's connection closes.
    const holder = others.find((m) => where.get(m.participantId) !== where.get(host.participantId)) ?? others[0]!;
    const passed = await host.send({ type: 'piece.pass', to: holder.participantId });
    expect(passed).toMatchObject({ ok: true });
    const vPass = ackedVersion(passed);
    const watchers = everyone.filter((m) => m !== holder);
    await allReach(watchers, vPass);
    holder.socket.io.reconnection(false);
    holder.close();
    const away = await watchers[0]!.waitFor((s) => s.participants.some((p) => p.id === holder.participantId && !p.connected));
    const vAway = away.version;
    expect(vAway).toBe(vPass + 1);
    // After the grace period the piece comes back: one version, once.
    await Promise.all(watchers.map((m) => m.waitFor((s) => s.version > vAway, GRACE_MS + 4_000)));
    await sleep(1_000);
    for (const m of watchers) {
      expect(m.latest().version).toBe(vAway + 1);
      expect(m.latest().piece.holderId).not.toBe(holder.participantId);
    }
    expect(everyone.flatMap((m) => m.conflicts)).toEqual([]);
  });

  it('kill -9 of one process: its members reconnect through nginx to the other within 5 s, and every acked change is there', async () => {
    const { host, others, everyone, where } = await spreadCircle(5);
    const acks = await Promise.all(everyone.map((m, i) => m.send({ type: 'name.set', name: `Before ${i}` })));
    expect(acks.every((a) => a !== 'timeout' && a.ok)).toBe(true);
    const lastAcked = Math.max(...acks.map(ackedVersion));
    await allReach(everyone, lastAcked);

    const victim = where.get(others[0]!.participantId)!;
    const onVictim = everyone.filter((m) => where.get(m.participantId) === victim);
    const survivors = everyone.filter((m) => where.get(m.participantId) !== victim);
    expect(onVictim.length).toBeGreaterThan(0);
    expect(survivors.length).toBeGreaterThan(0);
    const leaver = onVictim.find((m) => m !== host) ?? onVictim[0]!;
    leaver.socket.io.reconnection(false);
    const returning = onVictim.filter((m) => m !== leaver);

    const killedAt = Date.now();
    await cluster.processes[victim]!.kill9();
    try {
      // Every returning member is welcomed again (by the survivor) within 5 s.
      await Promise.all(
        returning.map(async (m) => {
          const before = m.welcomes.length;
          const deadline = killedAt + 5_000;
          while (m.welcomes.length === before && Date.now() < deadline) await sleep(50);
          expect(m.welcomes.length, 'welcomed again').toBeGreaterThan(before);
          expect(m.welcomes[m.welcomes.length - 1]!.at - killedAt).toBeLessThanOrEqual(5_000);
        }),
      );
      // Seated again by the survivor (its log names them now).
      for (const m of returning) {
        for (let i = 0; i < 100 && !cluster.processes[1 - victim]!.output.join('').includes(m.participantId); i++) await sleep(20);
        expect(cluster.processes[1 - victim]!.output.join('')).toContain(m.participantId);
      }
      // Everything acked before the crash is there, for the returning and the survivors alike.
      const after = await Promise.all(everyone.filter((m) => m !== leaver).map((m) => m.waitFor((s) => s.version >= lastAcked)));
      for (const state of after) {
        for (const [i, m] of everyone.entries()) expect(state.participants.find((p) => p.id === m.participantId)?.name).toBe(`Before ${i}`);
      }
      // They can act again, through the survivor.
      const again = await returning[0]?.send({ type: 'name.set', name: 'Back' });
      if (returning.length > 0) expect(again).toMatchObject({ ok: true });
      // The member who never came back is marked away once the dead process's heartbeat expires.
      const seen = await survivors[0]!.waitFor(
        (s) => s.participants.some((p) => p.id === leaver.participantId && !p.connected),
        PROCESS_TTL_MS + 6_000,
      );
      // Members who reconnected stay "here".
      for (const m of returning) expect(seen.participants.find((p) => p.id === m.participantId)?.connected).toBe(true);
      expect(everyone.flatMap((m) => m.conflicts)).toEqual([]);
    } finally {
      await cluster.restart(victim);
    }
  });

  it('Redis restarted under load: nothing acked is lost, and clients recover without a reload', async () => {
    const { circle, everyone } = await spreadCircle(3);
    const lastAcked = new Map<LiveMember, number>();
    const lastSent = new Map<LiveMember, number>();
    const ackedAfterRestart = new Map<LiveMember, number>();
    let restartedAt = Infinity;
    let running = true;
    const load = everyone.map(async (m, i) => {
      for (let n = 1; running; n++) {
        lastSent.set(m, n);
        const ack = await m.send({ type: 'name.set', name: `L${i} ${n}` }, 4_000);
        if (ack !== 'timeout' && ack.ok) {
          lastAcked.set(m, n);
          if (Date.now() > restartedAt) ackedAfterRestart.set(m, (ackedAfterRestart.get(m) ?? 0) + 1);
        }
        await sleep(100);
      }
    });
    await sleep(1_000);
    await cluster.redis.kill9();
    await sleep(1_000);
    await cluster.redis.restart();
    restartedAt = Date.now();
    await sleep(3_000);
    running = false;
    await Promise.all(load);

    // Every member acted again after the restart, on the same page (no reload).
    for (const m of everyone) expect(ackedAfterRestart.get(m) ?? 0).toBeGreaterThan(0);
    // All converge on one state; a fresh member through nginx sees the same.
    const top = maxVersion(everyone);
    await allReach(everyone, top, 10_000);
    const fresh = await joinLive(cluster.url, { circleId: circle.circleId, name: 'Late' });
    const state = fresh.latest();
    for (const [i, m] of everyone.entries()) {
      const name = state.participants.find((p) => p.id === m.participantId)?.name ?? '';
      const n = Number(name.replace(`L${i} `, ''));
      // The last acked name, or a later one sent whose ack was lost in the outage: never an older one.
      expect(n).toBeGreaterThanOrEqual(lastAcked.get(m) ?? 0);
      expect(n).toBeLessThanOrEqual(lastSent.get(m) ?? 0);
    }
    expect([...everyone, fresh].flatMap((m) => m.conflicts)).toEqual([]);
  });
});
