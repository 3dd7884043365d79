import { describe, expect, it } from 'vitest';
import { CircleService } from './circle-service.js';
import { createLogger } from './logger.js';
import { MemoryCircleStore } from './store/memory-circle-store.js';
import { createFakeClock } from './testing/fake-clock.js';

/** Two circle services over one store: two processes sharing Redis, as far as the seat's holder goes. */
async function twoProcesses() {
  const store = new MemoryCircleStore();
  const clock = createFakeClock();
  const make = () =>
    new CircleService({
      store,
      clock,
      logger: createLogger('silent'),
      media: { applySpeakingRights: async () => {}, removeParticipant: async () => {}, followPlaces: () => {} },
      holderGraceMs: 30_000,
    });
  const a = make();
  const b = make();
  const { circleId, facilitatorKey } = await a.create({ title: 'T' });
  const host = await a.join({ circleId, name: 'Host', facilitatorKey }, undefined, 'conn-host');
  if (!host.ok) throw new Error(host.message);
  const member = async () => (await store.get(circleId))!;
  return { a, b, store, circleId, host, member };
}

describe('which connection holds a seat, across processes', () => {
  it('an older connection closing on one process does not mark away a member who reconnected on another', async () => {
    const { a, b, circleId, member } = await twoProcesses();
    const joined = await a.join({ circleId, name: 'Ada' }, undefined, 'conn-a1');
    if (!joined.ok) throw new Error(joined.message);
    const before = (await member()).state.version;
    // Ada's network changed: she is back through process B before A noticed her old connection close.
    const resumed = await b.join({ circleId, sessionToken: joined.sessionToken }, undefined, 'conn-b1');
    expect(resumed).toMatchObject({ ok: true, participantId: joined.participantId, resumed: true });
    const afterResume = await member();
    expect(afterResume.secrets.connections?.[joined.participantId]).toBe('conn-b1');
    // Nothing else changed, yet the version rose: every process sees the new holder before deciding.
    expect(afterResume.state.version).toBe(before + 1);
    await a.leave(circleId, joined.participantId, () => true, 'conn-a1');
    const afterOldClose = await member();
    expect(afterOldClose.state.participants.find((p) => p.id === joined.participantId)?.connected).toBe(true);
    expect(afterOldClose.state.version).toBe(before + 1);
    // Her current connection closing does mark her away.
    await b.leave(circleId, joined.participantId, () => true, 'conn-b1');
    const afterClose = await member();
    expect(afterClose.state.participants.find((p) => p.id === joined.participantId)).toMatchObject({ connected: false });
  });

  it('a departure decided on a stale read loses the compare-and-set and is decided again', async () => {
    const { a, b, circleId, member } = await twoProcesses();
    const joined = await a.join({ circleId, name: 'Bea' }, undefined, 'conn-a2');
    if (!joined.ok) throw new Error(joined.message);
    // Both at once: the resume on B and the old connection's departure on A.
    await Promise.all([
      b.join({ circleId, sessionToken: joined.sessionToken }, undefined, 'conn-b2'),
      a.leave(circleId, joined.participantId, () => true, 'conn-a2'),
    ]);
    const record = await member();
    const bea = record.state.participants.find((p) => p.id === joined.participantId);
    expect(record.secrets.connections?.[joined.participantId]).toBe('conn-b2');
    // Whichever order the store saw, the resume on B comes last or the departure was refused: she is here.
    expect(bea?.connected).toBe(true);
  });

  it('the holder map keeps only current members and never reaches a snapshot', async () => {
    const { a, circleId, member } = await twoProcesses();
    await a.join({ circleId, name: 'Cy' }, undefined, 'conn-c');
    const state = await a.state(circleId);
    expect(JSON.stringify(state)).not.toContain('conn-c');
    const ids = (await member()).state.participants.map((p) => p.id).sort();
    expect(Object.keys((await member()).secrets.connections ?? {}).sort()).toEqual(ids);
  });
});
