import { type CircleState, formGroups } from '@spiral/shared';
import { describe, expect, it } from 'vitest';
import { CircleService } from './circle-service.js';
import { wakeUpKey } from './wake-ups.js';
import { createLogger } from './logger.js';
import { MemoryCircleStore } from './store/memory-circle-store.js';
import type { CircleRecord } from './store/circle-store.js';
import { createFakeClock } from './testing/fake-clock.js';

/** A memory store where, when armed, another writer changes the circle just before our next compare-and-set. */
class RacingStore extends MemoryCircleStore {
  race: ((record: CircleRecord) => CircleRecord) | null = null;
  lost = 0;

  override async compareAndSet(id: string, expectedVersion: number, next: CircleRecord): Promise<boolean> {
    const race = this.race;
    if (race) {
      this.race = null;
      const current = (await this.get(id))!;
      await super.compareAndSet(id, current.state.version, race(current));
    }
    const saved = await super.compareAndSet(id, expectedVersion, next);
    if (!saved) this.lost += 1;
    return saved;
  }
}

async function setup(seeds: number[] = [7, 8, 9]) {
  const store = new RacingStore();
  const clock = createFakeClock();
  const drawn: number[] = [];
  /** The versions media was asked to follow places at. */
  const followed: number[] = [];
  const service = new CircleService({
    store,
    clock,
    logger: createLogger('silent'),
    media: { applySpeakingRights: async () => {}, removeParticipant: async () => {}, followPlaces: (circle) => void followed.push(circle.version) },
    holderGraceMs: 30_000,
    randomSeed: () => {
      const seed = seeds[drawn.length % seeds.length]!;
      drawn.push(seed);
      return seed;
    },
  });
  const { circleId, facilitatorKey } = await service.create({ title: 'T' });
  const host = await service.join({ circleId, name: 'Host', facilitatorKey });
  if (!host.ok) throw new Error(host.message);
  const ids: string[] = [];
  for (const name of ['Ada', 'Bea', 'Cy', 'Dee', 'Eve', 'Fay']) {
    const joined = await service.join({ circleId, name });
    if (!joined.ok) throw new Error(joined.message);
    ids.push(joined.participantId);
  }
  const state = async () => (await service.state(circleId))!;
  return { service, store, clock, drawn, followed, circleId, hostId: host.participantId, ids, state };
}

const groupsOf = (state: CircleState) => state.breakouts?.groups.map((g) => g.memberIds) ?? null;

describe('CircleService: randomness for the shuffle', () => {
  it('each member command gets a fresh seed, and breakout.open shuffles by it', async () => {
    const { service, circleId, hostId, ids, drawn, state } = await setup([11, 12]);
    expect(await service.command(circleId, hostId, { type: 'breakout.open', size: 2 })).toMatchObject({ ok: true });
    expect(groupsOf(await state())).toEqual(formGroups(ids, 2, 11));
    await service.command(circleId, hostId, { type: 'breakout.close' });
    await service.command(circleId, hostId, { type: 'breakout.open', size: 2 });
    expect(drawn).toEqual([11, 12, 11]);
    expect(groupsOf(await state())).toEqual(formGroups(ids, 2, 11));
    // Different seeds make different groups for these six people (else this test would prove nothing).
    expect(formGroups(ids, 2, 11)).not.toEqual(formGroups(ids, 2, 12));
  });

  it('a retry after a lost compare-and-set decides again with the same seed', async () => {
    const { service, store, circleId, hostId, ids, drawn, state } = await setup([21, 22]);
    store.race = (record) => ({ ...record, state: { ...record.state, title: 'Renamed by another process', version: record.state.version + 1 } });
    expect(await service.command(circleId, hostId, { type: 'breakout.open', size: 3 })).toMatchObject({ ok: true });
    expect(store.lost).toBe(1);
    expect(drawn).toEqual([21]);
    const after = await state();
    expect(after.title).toBe('Renamed by another process');
    expect(groupsOf(after)).toEqual(formGroups(ids, 3, 21));
    expect(formGroups(ids, 3, 21)).not.toEqual(formGroups(ids, 3, 22));
  });
});

describe('CircleService: media follows places', () => {
  it('is asked to follow places after every change while breakouts are open, as they open and as they close; never otherwise', async () => {
    const { service, circleId, hostId, followed, state } = await setup();
    await service.command(circleId, hostId, { type: 'piece.mode', mode: 'open' });
    expect(followed).toEqual([]);
    await service.command(circleId, hostId, { type: 'breakout.open', size: 2 });
    const opened = (await state()).version;
    await service.command(circleId, hostId, { type: 'breakout.swap' });
    await service.command(circleId, hostId, { type: 'breakout.swap' }); // a pair swaps back: a change all the same
    await service.command(circleId, hostId, { type: 'breakout.close' });
    await service.command(circleId, hostId, { type: 'bell.ring', strikes: 1 });
    expect(followed).toEqual([opened, opened + 1, opened + 2, opened + 3]);
  });
});

describe('CircleService: breakout wake-ups', () => {
  it('one recall wake-up per circle: breakouts opened again replace the older one', async () => {
    const { service, clock, circleId, hostId, state } = await setup();
    const pendingAtStart = clock.pending();
    await service.command(circleId, hostId, { type: 'breakout.open', size: 2, durationMs: 60_000 });
    expect(clock.pending()).toBe(pendingAtStart + 1);
    await service.command(circleId, hostId, { type: 'breakout.close' });
    await service.command(circleId, hostId, { type: 'breakout.open', size: 2, durationMs: 120_000 });
    expect(clock.pending()).toBe(pendingAtStart + 1);
    const opened = await state();
    await clock.advance(60_000);
    expect((await state()).version).toBe(opened.version);
    await clock.advance(60_000);
    const recalled = await state();
    expect(recalled.breakouts?.closingAt).toBe(opened.breakouts!.endsAt! + 30_000);
    expect(recalled.bell?.strikes).toBe(2);
    // The return, one wake-up for the circle too.
    expect(clock.pending()).toBe(pendingAtStart + 1);
    await clock.advance(30_000);
    expect((await state()).breakouts).toBeNull();
  });

  it('a newer return replaces an older one: a recall closed at once and announced again returns at the later time', async () => {
    const { service, clock, circleId, hostId, state } = await setup();
    await service.command(circleId, hostId, { type: 'breakout.open', size: 2 });
    await service.command(circleId, hostId, { type: 'breakout.close', afterMs: 10_000 });
    await service.command(circleId, hostId, { type: 'breakout.close' });
    await service.command(circleId, hostId, { type: 'breakout.open', size: 2 });
    const pending = clock.pending();
    await service.command(circleId, hostId, { type: 'breakout.close', afterMs: 60_000 });
    expect(clock.pending()).toBe(pending);
    await clock.advance(10_000);
    expect((await state()).breakouts).not.toBeNull();
    await clock.advance(50_000);
    expect((await state()).breakouts).toBeNull();
  });

  it('keys: per circle for recall and return whatever the breakouts, per member for grace periods', () => {
    const recall = (breakoutsId: string, at: number) => wakeUpKey('c1', { type: 'breakout.recall', breakoutsId, at });
    expect(recall('b1', 1)).toBe(recall('b9', 2));
    expect(recall('b1', 1)).not.toBe(wakeUpKey('c2', { type: 'breakout.recall', breakoutsId: 'b1', at: 1 }));
    expect(recall('b1', 1)).not.toBe(wakeUpKey('c1', { type: 'breakout.finish', breakoutsId: 'b1', at: 1 }));
    const grace = (participantId: string) => wakeUpKey('c1', { type: 'presence.grace-end', participantId, awaySince: 1 });
    expect(grace('a')).not.toBe(grace('b'));
  });
});
