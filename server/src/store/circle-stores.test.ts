import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeCircleStoreContract, sampleRecord } from './circle-store.contract.js';
import { MemoryCircleStore } from './memory-circle-store.js';
import { SqliteCircleStore } from './sqlite-circle-store.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiral-store-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

describeCircleStoreContract('MemoryCircleStore', () => new MemoryCircleStore());
describeCircleStoreContract('SqliteCircleStore', () => SqliteCircleStore.inDataDir(tempDir()));

describe('SqliteCircleStore durability', () => {
  it('keeps every field across closing and reopening the same DATA_DIR', async () => {
    const dir = tempDir();
    const first = SqliteCircleStore.inDataDir(dir);
    const record = sampleRecord('durable');
    await first.create(record);
    await first.close();
    const second = SqliteCircleStore.inDataDir(dir);
    expect(await second.get('durable')).toEqual(record);
    await second.close();
  });

  it('reports a corrupt row instead of returning it', async () => {
    const dir = tempDir();
    const store = SqliteCircleStore.inDataDir(dir);
    await store.create(sampleRecord('bad'));
    await store.close();
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path.join(dir, 'spiral.sqlite'));
    db.prepare("UPDATE circles SET record = '{\"state\":{}}' WHERE id = 'bad'").run();
    db.close();
    const reopened = SqliteCircleStore.inDataDir(dir);
    await expect(reopened.get('bad')).rejects.toThrow(/not a valid record/);
    await reopened.close();
  });
});
