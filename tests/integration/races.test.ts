import { MemoryCircleStore, type CircleRecord, type CircleStore } from '@spiral/server';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAllSockets, createCircle, join, roundTrip, startServer, type TestServer } from '../support/harness.js';

/**
 * A store whose writes can be held back (a slow disk) or made to fail (a broken one). Writes, not
 * reads: a live circle's changes are decided on the record in memory, and only the write of each
 * change reaches the store.
 */
class ControlledStore implements CircleStore {
  private readonly inner = new MemoryCircleStore();
  private gate: Promise<void> | null = null;
  private openGate: (() => void) | null = null;
  /** Reads up to this count go through; later ones wait for `release()`. */
  private holdFrom = Number.POSITIVE_INFINITY;
  failWritesAfter: number | null = null;
  writes = 0;

  /** Hold back every write after the next `allowed` ones. */
  hold(allowed = 0): void {
    this.holdFrom = this.writes + allowed + 1;
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }
  release(): void {
    this.holdFrom = Number.POSITIVE_INFINITY;
    this.openGate?.();
    this.gate = null;
  }
  get(id: string) {
    return this.inner.get(id);
  }
  create(record: CircleRecord) {
    return this.inner.create(record);
  }
  async compareAndSet(id: string, v: number, next: CircleRecord) {
    this.writes += 1;
    if (this.gate && this.writes >= this.holdFrom) await this.gate;
    if (this.failWritesAfter !== null && this.writes > this.failWritesAfter) throw new Error('SQLITE_BUSY: database is locked');
    return this.inner.compareAndSet(id, v, next);
  }
  delete(id: string) {
    return this.inner.delete(id);
  }
  listIds() {
    return this.inner.listIds();
  }
  close() {
    return this.inner.close();
  }
}

const servers: TestServer[] = [];
afterEach(async () => {
  closeAllSockets();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(store: ControlledStore, logLines?: string[]) {
  const server = await startServer({ store, logLines });
  servers.push(server);
  return server;
}

const until = async (check: () => boolean | Promise<boolean>, what: string) => {
  await expect.poll(check, { timeout: 3_000, message: what }).toBe(true);
};

describe('connections racing the circle', () => {
  it('the old connection closing while the same member rejoins does not mark them away', async () => {
    const store = new ControlledStore();
    const logLines: string[] = [];
    const server = await start(store, logLines);
    const { circleId, facilitatorKey } = await createCircle(server.url);
    const host = await join(server.url, { circleId, name: 'Host', facilitatorKey });
    const ada = await join(server.url, { circleId, name: 'Ada' });
    const writesBefore = store.writes;
    // The host's change holds the circle's lock (its write is held): the rejoin queues behind it,
    // and the old tab's departure behind the rejoin.
    store.hold(0);
    const hostChange = host.send({ type: 'hand.raise' });
    await until(() => store.writes >= writesBefore + 1, 'the host\'s change holds the circle');
    const rejoining = join(server.url, { circleId, sessionToken: ada.welcome.sessionToken });
    await new Promise((r) => setTimeout(r, 200));
    const closedBefore = logLines.filter((l) => l.includes('connection closed')).length;
    ada.close(); // the old tab goes away while the new one is being seated
    await until(() => logLines.filter((l) => l.includes('connection closed')).length > closedBefore, 'the server saw the old tab close');
    store.release();
    expect(await hostChange).toMatchObject({ ok: true });
    const again = await rejoining;
    await roundTrip(again);
    await until(async () => (await server.app.service.state(circleId))?.participants.find((p) => p.id === ada.welcome.participantId)?.connected === true, 'Ada is here');
    await roundTrip(host);
    const me = (await server.app.service.state(circleId))?.participants.find((p) => p.id === ada.welcome.participantId);
    expect(me?.connected).toBe(true);
    expect(again.welcome.participantId).toBe(ada.welcome.participantId);
  });

  it('a client that drops while being seated is not left "here"', async () => {
    const store = new ControlledStore();
    const server = await start(store);
    const { circleId, facilitatorKey } = await createCircle(server.url);
    const host = await join(server.url, { circleId, name: 'Host', facilitatorKey });
    const writesBefore = store.writes;
    store.hold(0);
    void join(server.url, { circleId, name: 'Ghost' }).catch(() => null);
    await until(() => store.writes >= writesBefore + 1, 'the handshake holds the circle');
    closeAllSockets(); // closes the ghost's half-open socket (and the host's)
    store.release();
    await until(async () => {
      const state = await server.app.service.state(circleId);
      const seated = state?.participants.find((p) => p.name === 'Ghost');
      return seated === undefined || seated.connected === false;
    }, 'the ghost is not shown as here');
    // The host's socket was closed too: nobody is here.
    const count = async () => ((await (await fetch(`${server.url}/api/circles/${circleId}`)).json()) as { participantCount: number }).participantCount;
    await until(async () => (await count()) === 0, 'nobody is counted as here');
    expect(host.latest().participants.some((p) => p.name === 'Host')).toBe(true);
  });

  it('a store failure while seating refuses that connection and changes nothing; the server keeps running', async () => {
    const store = new ControlledStore();
    const server = await start(store);
    const { circleId, facilitatorKey } = await createCircle(server.url);
    const host = await join(server.url, { circleId, name: 'Host', facilitatorKey });
    const before = host.latest();
    store.failWritesAfter = store.writes;
    const failed = await join(server.url, { circleId, name: 'Unlucky' }).then(
      () => 'joined',
      (error: Error) => error.message,
    );
    expect(failed).not.toBe('joined');
    store.failWritesAfter = null;
    // Nothing changed: the failed seat is not in the circle, in memory or in the store.
    expect((await server.app.service.state(circleId))?.version).toBe(before.version);
    expect((await store.get(circleId))?.state.participants.map((p) => p.name)).toEqual(['Host']);
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
    const fine = await join(server.url, { circleId, name: 'Lucky' });
    expect(fine.welcome.participantId).toMatch(/^p_/);
  });
});
