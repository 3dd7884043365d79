import { type CircleRecord, type CircleStore, parseStoredRecord } from './circle-store.js';

/** In-process store for tests and throwaway runs. Records are copied in and out, as a database would. */
export class MemoryCircleStore implements CircleStore {
  private readonly rows = new Map<string, string>();

  async get(id: string): Promise<CircleRecord | null> {
    const json = this.rows.get(id);
    return json === undefined ? null : parseStoredRecord(id, json);
  }

  async create(record: CircleRecord): Promise<boolean> {
    if (this.rows.has(record.state.id)) return false;
    this.rows.set(record.state.id, JSON.stringify(record));
    return true;
  }

  async compareAndSet(id: string, expectedVersion: number, next: CircleRecord): Promise<boolean> {
    const json = this.rows.get(id);
    if (json === undefined || next.state.id !== id) return false;
    if (parseStoredRecord(id, json).state.version !== expectedVersion) return false;
    this.rows.set(id, JSON.stringify(next));
    return true;
  }

  async delete(id: string): Promise<void> {
    this.rows.delete(id);
  }

  async listIds(): Promise<string[]> {
    return [...this.rows.keys()];
  }

  async close(): Promise<void> {}
}
