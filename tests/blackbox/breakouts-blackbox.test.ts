/**
 * Breakouts (v1.1) against the built server process (`pnpm --filter @spiral/server build`), speaking
 * only the protocol: every breakout rule that shows on the wire, each test bounded to a few seconds
 * (one waits for the recall at the shortest `durationMs`, 10 s). Grace periods are 2 s here.
 */
import type { CircleState } from '@spiral/shared';
import { describe, expect, it } from 'vitest';
import { closeAllSockets, createCircle, join, roundTrip, type Member } from '../support/harness.js';
import { useBlackboxServer } from '../support/blackbox-server.js';

const GRACE_MS = 2_000;
const blackbox = useBlackboxServer('breakouts-blackbox', { HOLDER_GRACE_MS: String(GRACE_MS) });

const idOf = (m: Member) => m.welcome.participantId;
const refusedWith = (code: string) => ({ ok: false, error: { code, message: expect.any(String) } });

async function seat(names: string[], body: Record<string, unknown> = { title: 'Breakouts' }) {
  const circle = await createCircle(blackbox.current.url, body);
  const host = await join(blackbox.current.url, { circleId: circle.circleId, name: 'Joanna', facilitatorKey: circle.facilitatorKey });
  const others: Member[] = [];
  for (const name of names) others.push(await join(blackbox.current.url, { circleId: circle.circleId, name }));
  await Promise.all([host, ...others].map(roundTrip));
  return { circle, host, others, everyone: [host, ...others] };
}

/** Snapshots each member received newer than `version`, once every earlier one has arrived. */
async function snapshotsAfter(everyone: Member[], version: number): Promise<CircleState[][]> {
  await Promise.all(everyone.map(roundTrip));
  return everyone.map((m) => m.states.filter((s) => s.version > version));
}

/** The breakouts `member` sees now, once every earlier snapshot has arrived. */
async function breakoutsSeenBy(member: Member) {
  await roundTrip(member);
  const { breakouts } = member.latest();
  if (!breakouts) expect.fail('expected breakouts to be open');
  return breakouts;
}

const sizes = (state: CircleState) => state.breakouts!.groups.map((g) => g.memberIds.length);

describe('black box v1.1: breakouts', () => {
  it('opening without groups: the connected participants only, in groups by size (uneven counts our way), one snapshot, ids b<version> and <id>g<n>', async () => {
    const { host, others, everyone } = await seat(['Bea', 'Cy', 'Dee', 'Eli', 'Fay', 'Gil']);
    // Gil drops out (away): he is not grouped.
    const gil = others.pop()!;
    gil.close();
    await host.waitFor((s) => s.participants.some((p) => p.id === idOf(gil) && !p.connected));
    everyone.pop();
    const version = host.latest().version;
    expect(await host.send({ type: 'breakout.open', size: 3 })).toEqual({ ok: true, version: version + 1 });
    for (const snapshots of await snapshotsAfter(everyone, version)) {
      expect(snapshots).toHaveLength(1);
      const [s] = snapshots as [CircleState];
      expect(s.breakouts).toMatchObject({ id: `b${version}`, prompt: '', mode: 'turns', message: null, visits: {}, endsAt: null, closingAt: null });
      // 5 in triads: 3 + 2.
      expect(sizes(s)).toEqual([3, 2]);
      expect(s.breakouts!.groups.map((g) => g.id)).toEqual([`b${version}g1`, `b${version}g2`]);
      expect(s.breakouts!.groups.flatMap((g) => g.memberIds).sort()).toEqual(others.map(idOf).sort());
      for (const g of s.breakouts!.groups) expect(g).toEqual({ id: g.id, memberIds: g.memberIds, speakerId: g.memberIds[0], helpAt: null });
    }
    expect(await host.send({ type: 'breakout.open', size: 2 })).toEqual(refusedWith('conflict'));
    expect(await host.send({ type: 'breakout.close' })).toMatchObject({ ok: true });

    // 5 in pairs: 3 + 2 (a remainder of one joins a group); in quads: one group of 5.
    expect(await host.send({ type: 'breakout.open', size: 2 })).toMatchObject({ ok: true });
    expect(sizes(await host.waitFor((s) => s.breakouts !== null))).toEqual([3, 2]);
    await host.send({ type: 'breakout.close' });
    expect(await host.send({ type: 'breakout.open', size: 4, mode: 'open' })).toMatchObject({ ok: true });
    const quads = await host.waitFor((s) => s.breakouts !== null);
    expect(sizes(quads)).toEqual([5]);
    expect(quads.breakouts!.groups[0]!.speakerId).toBeNull();
  });

  it('a single participant makes one group of 1; nobody to group is conflict', async () => {
    const lonely = await seat([]);
    expect(await lonely.host.send({ type: 'breakout.open', size: 2 })).toEqual(refusedWith('conflict'));
    const { host, others } = await seat(['Bea']);
    expect(await host.send({ type: 'breakout.open', size: 4 })).toMatchObject({ ok: true });
    expect((await host.waitFor((s) => s.breakouts !== null)).breakouts!.groups.map((g) => g.memberIds)).toEqual([[idOf(others[0]!)]]);
  });

  it('opening with groups: as given, the rest in the main circle; groups naming someone away, unknown, twice, or empty are invalid before forbidden', async () => {
    const { host, others, everyone } = await seat(['Bea', 'Cy', 'Dee', 'Eli']);
    const [bea, cy, dee, eli] = others as [Member, Member, Member, Member];
    eli.close();
    await host.waitFor((s) => s.participants.some((p) => p.id === idOf(eli) && !p.connected));
    const live = everyone.slice(0, 4);
    const version = host.latest().version;
    for (const groups of [[[idOf(bea), idOf(eli)]], [[idOf(bea), 'nobody']], [[idOf(bea)], [idOf(bea), idOf(cy)]], [[idOf(bea), idOf(bea)]], [[idOf(bea)], []], []]) {
      expect(await host.send({ type: 'breakout.open', size: 2, groups })).toEqual(refusedWith('invalid'));
      expect(await bea.send({ type: 'breakout.open', size: 2, groups })).toEqual(refusedWith('invalid'));
    }
    expect(await bea.send({ type: 'breakout.open', size: 2, groups: [[idOf(bea), idOf(cy)]] })).toEqual(refusedWith('forbidden'));
    expect((await snapshotsAfter(live, version)).flat()).toEqual([]);

    // A facilitator may be in a group; Dee stays in the main circle.
    expect(await host.send({ type: 'breakout.open', size: 2, groups: [[idOf(cy), idOf(host)], [idOf(bea)]], mode: 'turns' })).toEqual({ ok: true, version: version + 1 });
    const b = await breakoutsSeenBy(dee);
    expect(b.groups.map((g) => [g.memberIds, g.speakerId])).toEqual([
      [[idOf(cy), idOf(host)], idOf(cy)],
      [[idOf(bea)], idOf(bea)],
    ]);
  });

  it('the schema of the breakout commands: anything out of range is invalid and changes nothing', async () => {
    const { host, everyone } = await seat(['Bea', 'Cy']);
    const version = host.latest().version;
    for (const bad of [
      { type: 'breakout.open' },
      { type: 'breakout.open', size: 1 },
      { type: 'breakout.open', size: 5 },
      { type: 'breakout.open', size: 2, durationMs: 9_999 },
      { type: 'breakout.open', size: 2, durationMs: 3_600_001 },
      { type: 'breakout.open', size: 2, prompt: 'p'.repeat(501) },
      { type: 'breakout.open', size: 2, mode: 'round' },
      { type: 'breakout.broadcast', text: '   ' },
      { type: 'breakout.broadcast', text: 'x'.repeat(301) },
      { type: 'breakout.visit' },
      { type: 'breakout.close', afterMs: 120_001 },
      { type: 'breakout.close', afterMs: -1 },
    ]) {
      expect(await host.send(bad)).toEqual(refusedWith('invalid'));
    }
    expect((await snapshotsAfter(everyone, version)).flat()).toEqual([]);
  });

  it('no breakouts open: swap, broadcast, visit null, close and a facilitator’s pass are conflict; a visit to a group not_found; a participant’s pass forbidden', async () => {
    const { host, others } = await seat(['Bea']);
    expect(await host.send({ type: 'breakout.swap' })).toEqual(refusedWith('conflict'));
    expect(await host.send({ type: 'breakout.broadcast', text: 'Hello' })).toEqual(refusedWith('conflict'));
    expect(await host.send({ type: 'breakout.visit', groupId: null })).toEqual(refusedWith('conflict'));
    expect(await host.send({ type: 'breakout.close' })).toEqual(refusedWith('conflict'));
    expect(await host.send({ type: 'breakout.pass' })).toEqual(refusedWith('conflict'));
    expect(await host.send({ type: 'breakout.visit', groupId: 'b1g1' })).toEqual(refusedWith('not_found'));
    expect(await others[0]!.send({ type: 'breakout.pass' })).toEqual(refusedWith('forbidden'));
    expect(await others[0]!.send({ type: 'breakout.swap' })).toEqual(refusedWith('forbidden'));
    expect(await others[0]!.send({ type: 'breakout.visit', groupId: 'b1g1' })).toEqual(refusedWith('forbidden'));
  });

  it('swap (A↔B, and round in a triad), pass by the speaker only, broadcast, visit and a visiting facilitator’s pass', async () => {
    const { host, others, everyone } = await seat(['Bea', 'Cy', 'Dee', 'Eli', 'Fay']);
    const [bea, cy, dee, eli, fay] = others as [Member, Member, Member, Member, Member];
    await host.send({ type: 'breakout.open', size: 2, groups: [[idOf(bea), idOf(cy)], [idOf(dee), idOf(eli), idOf(fay)]] });
    const { groups } = await breakoutsSeenBy(fay);
    const [g1, g2] = groups.map((g) => g.id) as [string, string];

    const speakers = async () => (await breakoutsSeenBy(host)).groups.map((g) => g.speakerId);
    expect(await bea.send({ type: 'breakout.swap' })).toEqual(refusedWith('forbidden'));
    expect(await host.send({ type: 'breakout.swap' })).toMatchObject({ ok: true });
    expect(await speakers()).toEqual([idOf(cy), idOf(eli)]);
    expect(await host.send({ type: 'breakout.swap' })).toMatchObject({ ok: true });
    expect(await speakers()).toEqual([idOf(bea), idOf(fay)]);

    expect(await cy.send({ type: 'breakout.pass' })).toEqual(refusedWith('forbidden'));
    expect(await host.send({ type: 'breakout.pass' })).toEqual(refusedWith('forbidden'));
    const version = host.latest().version;
    expect(await fay.send({ type: 'breakout.pass' })).toEqual({ ok: true, version: version + 1 });
    expect(await speakers()).toEqual([idOf(bea), idOf(dee)]);

    expect(await bea.send({ type: 'breakout.broadcast', text: 'Hi' })).toEqual(refusedWith('forbidden'));
    const before = Date.now();
    expect(await host.send({ type: 'breakout.broadcast', text: '  One more minute ' })).toMatchObject({ ok: true });
    for (const m of everyone) {
      const { message } = (await m.waitFor((s) => s.breakouts?.message != null)).breakouts!;
      expect(message!.text).toBe('One more minute');
      expect(Math.abs(message!.at - before)).toBeLessThan(5_000);
    }

    expect(await host.send({ type: 'breakout.visit', groupId: `${g1}x` })).toEqual(refusedWith('not_found'));
    expect(await host.send({ type: 'breakout.visit', groupId: g1 })).toMatchObject({ ok: true });
    expect((await breakoutsSeenBy(cy)).visits).toEqual({ [idOf(host)]: g1 });
    expect(await host.send({ type: 'breakout.pass' })).toMatchObject({ ok: true });
    expect(await speakers()).toEqual([idOf(cy), idOf(dee)]);
    expect(await host.send({ type: 'breakout.visit', groupId: g2 })).toMatchObject({ ok: true });
    expect((await breakoutsSeenBy(cy)).visits).toEqual({ [idOf(host)]: g2 });
    expect(await host.send({ type: 'breakout.visit', groupId: null })).toMatchObject({ ok: true });
    expect((await breakoutsSeenBy(cy)).visits).toEqual({});
    // Back in the main circle already: no change, no snapshot.
    const settled = host.latest().version;
    expect(await host.send({ type: 'breakout.visit', groupId: null })).toEqual({ ok: true, version: settled });
    expect((await snapshotsAfter(everyone, settled)).flat()).toEqual([]);
  });

  it('open mode: no turns — pass and swap are conflict, for a member and a visiting facilitator', async () => {
    const { host, others } = await seat(['Bea', 'Cy']);
    await host.send({ type: 'breakout.open', size: 2, mode: 'open' });
    const { groups } = await breakoutsSeenBy(others[0]!);
    expect(groups.map((g) => g.speakerId)).toEqual([null]);
    expect(await others[0]!.send({ type: 'breakout.pass' })).toEqual(refusedWith('conflict'));
    expect(await host.send({ type: 'breakout.swap' })).toEqual(refusedWith('conflict'));
    await host.send({ type: 'breakout.visit', groupId: groups[0]!.id });
    expect(await host.send({ type: 'breakout.pass' })).toEqual(refusedWith('conflict'));
  });

  it('close with afterMs: a bell of two strikes, closingAt, everyone back by itself; conflict while announced, except afterMs 0', async () => {
    const { host, everyone } = await seat(['Bea', 'Cy']);
    await host.send({ type: 'breakout.open', size: 2 });
    await Promise.all(everyone.map(roundTrip));
    const version = host.latest().version;
    expect(await host.send({ type: 'breakout.close', afterMs: 1_500 })).toEqual({ ok: true, version: version + 1 });
    const announced = await host.waitFor((s) => s.breakouts?.closingAt != null);
    expect(announced.bell).toEqual({ id: 1, strikes: 2, at: announced.breakouts!.closingAt! - 1_500 + 300 });
    expect(await host.send({ type: 'breakout.close', afterMs: 10_000 })).toEqual(refusedWith('conflict'));
    for (const m of everyone) {
      const back = await m.waitFor((s) => s.version > version + 1, 5_000);
      expect(back).toMatchObject({ version: version + 2, breakouts: null });
    }
    // Once more, then closed at once while the recall is announced.
    await host.send({ type: 'breakout.open', size: 2 });
    await host.send({ type: 'breakout.close', afterMs: 60_000 });
    expect(await host.send({ type: 'breakout.close', afterMs: 0 })).toMatchObject({ ok: true });
    expect((await host.waitFor((s) => s.version === version + 5)).breakouts).toBeNull();
  });

  it('durationMs: endsAt, and at endsAt the recall starts by itself (closingAt 30 s later, a bell of two strikes)', async () => {
    const { host, others } = await seat(['Bea', 'Cy']);
    const sentAt = Date.now();
    expect(await host.send({ type: 'breakout.open', size: 2, durationMs: 10_000, prompt: 'Who are you?' })).toMatchObject({ ok: true });
    const ackedAt = Date.now();
    const opened = await others[0]!.waitFor((s) => s.breakouts !== null);
    const { endsAt } = opened.breakouts!;
    expect(endsAt).toBeGreaterThanOrEqual(sentAt + 10_000);
    expect(endsAt).toBeLessThanOrEqual(ackedAt + 10_000);
    expect(opened.breakouts).toMatchObject({ prompt: 'Who are you?', closingAt: null });
    const recalled = await others[0]!.waitFor((s) => s.breakouts?.closingAt != null, 13_000);
    expect(recalled.version).toBe(opened.version + 1);
    expect(recalled.breakouts!.closingAt).toBeGreaterThanOrEqual(endsAt! + 30_000);
    expect(recalled.bell).toMatchObject({ id: 1, strikes: 2 });
    expect(recalled.bell!.at).toBe(recalled.breakouts!.closingAt! - 30_000 + 300);
    // Closing at once is still allowed.
    expect(await host.send({ type: 'breakout.close', afterMs: 0 })).toMatchObject({ ok: true });
  }, 20_000);

  it('a member who leaves: removed, or away past the grace, leaves their group; the turn passes; an empty group is dropped; a newcomer stays in the main circle', async () => {
    const { circle, host, others } = await seat(['Bea', 'Cy', 'Dee', 'Eli']);
    const [bea, cy, dee, eli] = others as [Member, Member, Member, Member];
    await host.send({ type: 'breakout.open', size: 2, groups: [[idOf(bea), idOf(cy), idOf(dee)], [idOf(eli)]] });
    await breakoutsSeenBy(cy);

    expect(await host.send({ type: 'participant.remove', participantId: idOf(bea) })).toMatchObject({ ok: true });
    expect((await breakoutsSeenBy(cy)).groups.map((g) => [g.memberIds, g.speakerId])).toEqual([
      [[idOf(cy), idOf(dee)], idOf(cy)],
      [[idOf(eli)], idOf(eli)],
    ]);

    eli.close();
    const away = await host.waitFor((s) => s.participants.some((p) => p.id === idOf(eli) && !p.connected));
    expect(away.breakouts!.groups).toHaveLength(2);
    const dropped = await host.waitFor((s) => s.breakouts?.groups.length === 1, GRACE_MS + 3_000);
    expect(dropped.breakouts!.groups[0]!.memberIds).toEqual([idOf(cy), idOf(dee)]);
    expect(dropped.participants.find((p) => p.id === idOf(eli))?.connected).toBe(false);

    const fay = await join(blackbox.current.url, { circleId: circle.circleId, name: 'Fay' });
    const seen = await breakoutsSeenBy(fay);
    expect(seen.groups.flatMap((g) => g.memberIds)).not.toContain(idOf(fay));
    expect(await fay.send({ type: 'breakout.help' })).toEqual(refusedWith('forbidden'));
  });

  it('a step in pairs (plan.go): groups in turns with the step’s prompt and time, one snapshot and one version; a step in the circle closes them', async () => {
    const { host, everyone } = await seat(['Bea', 'Cy', 'Dee']);
    const pairs = { title: 'Open sentences', stage: 'new-eyes', prompt: 'What I love is…', mode: 'open', speakerTimeMs: null, durationMs: 60_000, grouping: 'pairs' } as const;
    const round = { ...pairs, title: 'Round', mode: 'round', durationMs: null, grouping: 'circle' } as const;
    expect(await host.send({ type: 'plan.set', steps: [pairs, round] })).toMatchObject({ ok: true });
    await Promise.all(everyone.map(roundTrip));
    const version = host.latest().version;
    expect(await host.send({ type: 'plan.go', index: 0 })).toEqual({ ok: true, version: version + 1 });
    for (const snapshots of await snapshotsAfter(everyone, version)) {
      expect(snapshots).toHaveLength(1);
      const [s] = snapshots as [CircleState];
      expect(s.breakouts).toMatchObject({ prompt: 'What I love is…', mode: 'turns', closingAt: null });
      expect(s.breakouts!.endsAt).toBe(s.timer.endsAt);
      expect(sizes(s)).toEqual([3]);
    }
    expect(await host.send({ type: 'plan.next' })).toEqual({ ok: true, version: version + 2 });
    expect((await host.waitFor((s) => s.version === version + 2)).breakouts).toBeNull();
  });

  it('help (extension): a member calls; again changes nothing; the facilitator’s visit answers', async () => {
    const { host, others, everyone } = await seat(['Bea', 'Cy']);
    const [bea] = others as [Member, Member];
    await host.send({ type: 'breakout.open', size: 2 });
    await Promise.all(everyone.map(roundTrip));
    expect(await host.send({ type: 'breakout.help' })).toEqual(refusedWith('forbidden'));
    const version = host.latest().version;
    expect(await bea.send({ type: 'breakout.help' })).toEqual({ ok: true, version: version + 1 });
    expect(await bea.send({ type: 'breakout.help' })).toEqual({ ok: true, version: version + 1 });
    const { groups } = await breakoutsSeenBy(host);
    expect(groups[0]!.helpAt).toEqual(expect.any(Number));
    await host.send({ type: 'breakout.visit', groupId: groups[0]!.id });
    expect((await breakoutsSeenBy(bea)).groups[0]!.helpAt).toBeNull();
  });

  it('an announced return survives kill -9 and a restart, and still comes', async () => {
    const { circle, host, others } = await seat(['Bea', 'Cy']);
    await host.send({ type: 'breakout.open', size: 2 });
    expect(await host.send({ type: 'breakout.close', afterMs: 3_000 })).toMatchObject({ ok: true });
    const announced = await host.waitFor((s) => s.breakouts?.closingAt != null);

    closeAllSockets();
    await blackbox.killAndRestart();

    const back = await join(blackbox.current.url, { circleId: circle.circleId, sessionToken: others[0]!.welcome.sessionToken });
    const returned = await back.waitFor((s) => s.breakouts === null, 8_000);
    expect(returned.version).toBeGreaterThan(announced.version);
    expect(Date.now()).toBeGreaterThanOrEqual(announced.breakouts!.closingAt! - 1_000);
  });
});
