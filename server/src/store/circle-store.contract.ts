import { makeCircle, T0 } from '@spiral/shared/testing';
import { describe, expect, it } from 'vitest';
import type { CircleRecord, CircleStore } from './circle-store.js';

export function sampleRecord(id: string, version = 1): CircleRecord {
  return {
    state: makeCircle({
      id,
      title: `Circle ${id}`,
      template: 'conversation-cafe',
      createdAt: T0,
      version,
      members: [{ id: 'p_a', name: 'Ada', role: 'facilitator' }],
      timer: { label: 'Round', durationMs: 60_000, running: true, endsAt: T0 + 60_000, remainingMs: 60_000 },
    }),
    secrets: { facilitatorKeyHash: 'hash-of-key', sessionTokens: { tokenhash: 'p_a' }, removedTokens: ['gone'] },
  };
}

function bump(record: CircleRecord, change: Partial<CircleRecord['state']> = {}): CircleRecord {
  return { ...record, state: { ...record.state, ...change, version: record.state.version + 1 } };
}

/** One contract, run against every CircleStore implementation. */
export function describeCircleStoreContract(name: string, makeStore: () => Promise<CircleStore> | CircleStore): void {
  describe(`CircleStore contract: ${name}`, () => {
    const withStore = async (body: (store: CircleStore) => Promise<void>) => {
      const store = await makeStore();
      try {
        await body(store);
      } finally {
        await store.close();
      }
    };

    it('returns null for an unknown circle', () =>
      withStore(async (store) => {
        expect(await store.get('nope')).toBeNull();
      }));

    it('creates and reads back every field', () =>
      withStore(async (store) => {
        const record = sampleRecord('c1');
        expect(await store.create(record)).toBe(true);
        expect(await store.get('c1')).toEqual(record);
      }));

    it('refuses to create a circle twice', () =>
      withStore(async (store) => {
        await store.create(sampleRecord('c1'));
        expect(await store.create(sampleRecord('c1', 7))).toBe(false);
        expect((await store.get('c1'))?.state.version).toBe(1);
      }));

    it('compare-and-set writes when the version matches', () =>
      withStore(async (store) => {
        const record = sampleRecord('c1');
        await store.create(record);
        const next = bump(record, { title: 'Renamed' });
        expect(await store.compareAndSet('c1', 1, next)).toBe(true);
        expect(await store.get('c1')).toEqual(next);
      }));

    it('compare-and-set refuses a stale version and keeps the stored record', () =>
      withStore(async (store) => {
        const record = sampleRecord('c1');
        await store.create(record);
        const first = bump(record, { title: 'First' });
        expect(await store.compareAndSet('c1', 1, first)).toBe(true);
        expect(await store.compareAndSet('c1', 1, bump(record, { title: 'Second' }))).toBe(false);
        expect((await store.get('c1'))?.state.title).toBe('First');
      }));

    it('compare-and-set on an unknown circle fails', () =>
      withStore(async (store) => {
        expect(await store.compareAndSet('ghost', 1, sampleRecord('ghost', 2))).toBe(false);
        expect(await store.get('ghost')).toBeNull();
      }));

    it('records are copies: mutating a returned record changes nothing stored', () =>
      withStore(async (store) => {
        await store.create(sampleRecord('c1'));
        const read = await store.get('c1');
        read!.state.title = 'mutated';
        read!.secrets.sessionTokens.x = 'y';
        expect((await store.get('c1'))?.state.title).toBe('Circle c1');
        expect((await store.get('c1'))?.secrets.sessionTokens).toEqual({ tokenhash: 'p_a' });
      }));

    it('lists ids and deletes', () =>
      withStore(async (store) => {
        await store.create(sampleRecord('c1'));
        await store.create(sampleRecord('c2'));
        expect((await store.listIds()).sort()).toEqual(['c1', 'c2']);
        await store.delete('c1');
        expect(await store.get('c1')).toBeNull();
        expect(await store.listIds()).toEqual(['c2']);
      }));

    it('only one of two concurrent writers of the same version wins', () =>
      withStore(async (store) => {
        const record = sampleRecord('c1');
        await store.create(record);
        const results = await Promise.all([
          store.compareAndSet('c1', 1, bump(record, { title: 'A' })),
          store.compareAndSet('c1', 1, bump(record, { title: 'B' })),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(['A', 'B']).toContain((await store.get('c1'))?.state.title);
      }));
  });
}
