import { describe, expect, it } from 'vitest';
import { CircleService } from './circle-service.js';
import { LiveRecords } from './live-records.js';
import { createLogger } from './logger.js';
import { sampleRecord } from './store/circle-store.contract.js';
import type { CircleRecord } from './store/circle-store.js';
import { MemoryCircleStore } from './store/memory-circle-store.js';
import { createFakeClock } from './testing/fake-clock.js';

/** A memory store that counts its reads. */
class CountingStore extends MemoryCircleStore {
  reads = 0;
  override async get(id: string): Promise<CircleRecord | null> {
    this.reads += 1;
    return super.get(id);
  }
}

function service(store: MemoryCircleStore, soleWriter?: boolean) {
  return new CircleService({
    store,
    clock: createFakeClock(),
    logger: createLogger('silent'),
    media: { applySpeakingRights: async () => {}, removeParticipant: async () => {}, followPlaces: () => {} },
    holderGraceMs: 30_000,
    ...(soleWriter === undefined ? {} : { soleWriter }),
  });
}

describe('LiveRecords', () => {
  const withEveryoneAway = (record: CircleRecord): CircleRecord => ({
    ...record,
    state: { ...record.state, participants: record.state.participants.map((p) => ({ ...p, connected: false })) },
  });

  it('keeps the last committed record of a circle someone is connected to', () => {
    const live = new LiveRecords();
    const record = sampleRecord('c1');
    live.remember(record);
    expect(live.get('c1')).toBe(record);
  });

  it('does not keep a circle nobody is connected to', () => {
    const live = new LiveRecords();
    live.remember(sampleRecord('c1'));
    live.remember(withEveryoneAway(sampleRecord('c1', 2)));
    expect(live.get('c1')).toBeUndefined();
  });

  it('holds at most `max` circles, dropping the least recently used', () => {
    const live = new LiveRecords(2);
    live.remember(sampleRecord('a'));
    live.remember(sampleRecord('b'));
    live.get('a');
    live.remember(sampleRecord('c'));
    expect(live.size).toBe(2);
    expect(live.get('b')).toBeUndefined();
    expect(live.get('a')).toBeDefined();
    expect(live.get('c')).toBeDefined();
  });
});

describe('CircleService hot path', () => {
  it('decides a live circle\'s commands without reading the store', async () => {
    const store = new CountingStore();
    const circles = service(store);
    const { circleId, facilitatorKey } = await circles.create({ title: 'T' });
    const host = await circles.join({ circleId, name: 'Host', facilitatorKey });
    if (!host.ok) throw new Error(host.message);
    const before = store.reads;
    for (let i = 0; i < 10; i++) {
      const ack = await circles.command(circleId, host.participantId, { type: 'hand.raise' });
      expect(ack.ok).toBe(true);
      await circles.command(circleId, host.participantId, { type: 'hand.lower', participantId: host.participantId });
    }
    expect(store.reads - before).toBe(0);
    // The store still has every change.
    expect((await store.get(circleId))!.state.version).toBe((await circles.state(circleId))!.version);
  });

  it('a change written by another process is seen: the lost compare-and-set re-reads and decides again', async () => {
    const store = new CountingStore();
    const circles = service(store, false);
    const { circleId, facilitatorKey } = await circles.create({ title: 'T' });
    const host = await circles.join({ circleId, name: 'Host', facilitatorKey });
    if (!host.ok) throw new Error(host.message);
    // Another process renames the circle behind this one's back.
    const stored = (await store.get(circleId))!;
    await store.compareAndSet(circleId, stored.state.version, { ...stored, state: { ...stored.state, title: 'Renamed elsewhere', version: stored.state.version + 1 } });
    // Not the sole writer: a newcomer's snapshot comes from the store, never from a stale live record.
    expect((await circles.state(circleId))!.title).toBe('Renamed elsewhere');
    const ack = await circles.command(circleId, host.participantId, { type: 'hand.raise' });
    expect(ack).toEqual({ ok: true, version: stored.state.version + 2 });
    const after = (await store.get(circleId))!.state;
    expect(after.title).toBe('Renamed elsewhere');
    expect(after.piece.queue).toEqual([host.participantId]);
  });
});

describe('CircleService departures', () => {
  it('connections closing together leave in one change: one write, every member away, each grace period armed', async () => {
    class CountingWrites extends MemoryCircleStore {
      writes = 0;
      override async compareAndSet(id: string, v: number, next: CircleRecord): Promise<boolean> {
        this.writes += 1;
        return super.compareAndSet(id, v, next);
      }
    }
    const store = new CountingWrites();
    const circles = service(store);
    const { circleId, facilitatorKey } = await circles.create({ title: 'T' });
    const host = await circles.join({ circleId, name: 'Host', facilitatorKey });
    if (!host.ok) throw new Error(host.message);
    const ids: string[] = [];
    for (const name of ['Ada', 'Bea', 'Cy', 'Dee']) {
      const joined = await circles.join({ circleId, name });
      if (!joined.ok) throw new Error(joined.message);
      ids.push(joined.participantId);
    }
    const before = store.writes;
    await Promise.all(ids.map((id) => circles.leave(circleId, id)));
    const state = (await circles.state(circleId))!;
    expect(state.participants.filter((p) => ids.includes(p.id)).every((p) => !p.connected && p.awaySince !== null)).toBe(true);
    expect(state.participants.find((p) => p.id === host.participantId)?.connected).toBe(true);
    // The first departure waits for nothing and goes alone; the other three gather behind it.
    expect(store.writes - before).toBeLessThanOrEqual(2);
  });
});
