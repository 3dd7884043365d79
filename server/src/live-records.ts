import type { CircleRecord } from './store/circle-store.js';

/** How many circles' records one process keeps in memory at most (the least recently used go first). */
export const MAX_LIVE_RECORDS = 5_000;

/**
 * The last committed record of each live circle, as this process committed or read it, so a change
 * is decided without reading and re-validating the stored record. The store stays the truth: a
 * compare-and-set that fails (another process changed the circle) drops the entry, and the next
 * attempt reads the store. Records are never mutated (decide and admission build new ones), so
 * holding the committed object is safe. A circle nobody is connected to is not kept.
 */
export class LiveRecords {
  private readonly records = new Map<string, CircleRecord>();

  constructor(private readonly max = MAX_LIVE_RECORDS) {}

  get(circleId: string): CircleRecord | undefined {
    const record = this.records.get(circleId);
    if (record) {
      // Most recently used last: Map keeps insertion order.
      this.records.delete(circleId);
      this.records.set(circleId, record);
    }
    return record;
  }

  /** Keep `record` as the circle's last committed one — or forget it when nobody is connected. */
  remember(record: CircleRecord): void {
    const circleId = record.state.id;
    this.records.delete(circleId);
    if (!record.state.participants.some((p) => p.connected)) return;
    this.records.set(circleId, record);
    if (this.records.size > this.max) this.records.delete(this.records.keys().next().value!);
  }

  forget(circleId: string): void {
    this.records.delete(circleId);
  }

  get size(): number {
    return this.records.size;
  }
}
