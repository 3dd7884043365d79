import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { type CircleRecord, type CircleStore, parseStoredRecord } from './circle-store.js';

/**
 * The embedded default: one SQLite file under DATA_DIR. WAL with `synchronous = NORMAL`: a change is
 * in the write-ahead log (the operating system's file cache) before its compare-and-set returns, so
 * an acked change survives the process being killed (`kill -9`, a crash, an OOM kill); a power cut
 * or a kernel crash may lose the changes of the last moments before the next checkpoint's sync
 * (docs/durability.md). No fsync on the hot path.
 */
export class SqliteCircleStore implements CircleStore {
  private readonly db: Database.Database;
  private readonly statements;

  constructor(file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS circles (
      id TEXT PRIMARY KEY,
      version INTEGER NOT NULL,
      record TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    )`);
    this.statements = {
      get: this.db.prepare<[string], { record: string }>('SELECT record FROM circles WHERE id = ?'),
      insert: this.db.prepare<[string, number, string, number]>(
        'INSERT OR IGNORE INTO circles (id, version, record, updated_at) VALUES (?, ?, ?, ?)',
      ),
      update: this.db.prepare<[number, string, number, string, number]>(
        'UPDATE circles SET version = ?, record = ?, updated_at = ? WHERE id = ? AND version = ?',
      ),
      delete: this.db.prepare<[string]>('DELETE FROM circles WHERE id = ?'),
      ids: this.db.prepare<[], { id: string }>('SELECT id FROM circles'),
    };
  }

  static inDataDir(dataDir: string): SqliteCircleStore {
    return new SqliteCircleStore(path.join(dataDir, 'spiral.sqlite'));
  }

  async get(id: string): Promise<CircleRecord | null> {
    const row = this.statements.get.get(id);
    return row ? parseStoredRecord(id, row.record) : null;
  }

  async create(record: CircleRecord): Promise<boolean> {
    const result = this.statements.insert.run(record.state.id, record.state.version, JSON.stringify(record), Date.now());
    return result.changes === 1;
  }

  async compareAndSet(id: string, expectedVersion: number, next: CircleRecord): Promise<boolean> {
    if (next.state.id !== id) return false;
    const result = this.statements.update.run(next.state.version, JSON.stringify(next), Date.now(), id, expectedVersion);
    return result.changes === 1;
  }

  async delete(id: string): Promise<void> {
    this.statements.delete.run(id);
  }

  async listIds(): Promise<string[]> {
    return this.statements.ids.all().map((row) => row.id);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
