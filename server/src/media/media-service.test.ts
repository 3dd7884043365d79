import type { CircleState } from '@spiral/shared';
import { makeCircle } from '@spiral/shared/testing';
import { describe, expect, it } from 'vitest';
import type { MediaConnection, MediaProvider } from './media-provider.js';
import { MediaService } from './media-service.js';

const circle = makeCircle({ id: 'c1', version: 7, members: [{ id: 'f', role: 'facilitator' }, { id: 'a' }] });
const conn: MediaConnection = { id: 's1', open: true, join: async () => {}, leave: async () => {}, announce: () => {} };

/** A provider that records what it is asked. */
function setup(stored: CircleState | null = circle) {
  const calls: string[] = [];
  const provider: MediaProvider = {
    async join(c, p, connection) {
      calls.push(`join ${c.id} ${p.id} ${connection.id}`);
      return { ok: true, mode: 'livekit', url: 'ws://media', token: 't' };
    },
    leave: (circleId, participantId, connection) => void calls.push(`leave ${circleId} ${participantId} ${connection.id}`),
    applySpeakingRights: async () => {},
    removeParticipant: async () => {},
    followPlaces: () => {},
  };
  const media = new MediaService({ circle: async (id) => (stored?.id === id ? stored : null), provider });
  return { media, calls };
}

describe('MediaService', () => {
  it('media.join by a member is the provider\'s answer, from this connection', async () => {
    const { media, calls } = setup();
    expect(await media.command('c1', 'a', { type: 'media.join' }, conn)).toEqual({ ok: true, mode: 'livekit', url: 'ws://media', token: 't' });
    expect(calls).toEqual(['join c1 a s1']);
  });

  it('media.join by someone not in the circle, or in no circle, is forbidden and never reaches the provider', async () => {
    const { media, calls } = setup();
    expect(await media.command('c1', 'stranger', { type: 'media.join' }, conn)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await media.command('gone', 'a', { type: 'media.join' }, conn)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls).toEqual([]);
  });

  it('media.leave leaves through the provider and is acked with the circle\'s current version', async () => {
    const { media, calls } = setup();
    expect(await media.command('c1', 'a', { type: 'media.leave' }, conn)).toEqual({ ok: true, version: 7 });
    expect(calls).toEqual(['leave c1 a s1']);
  });

  it('media.leave: no such circle is not_found, a non-member forbidden', async () => {
    const { media, calls } = setup();
    expect(await media.command('gone', 'a', { type: 'media.leave' }, conn)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await media.command('c1', 'stranger', { type: 'media.leave' }, conn)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls).toEqual([]);
  });

  it('one media command at a time per connection, in the order sent; other connections do not wait', async () => {
    const events: string[] = [];
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const provider: MediaProvider = {
      async join(_c, p, connection) {
        events.push(`start ${p.id} ${connection.id}`);
        if (events.length === 1) await slow;
        events.push(`end ${p.id} ${connection.id}`);
        return { ok: true, mode: 'livekit', url: 'ws://media', token: connection.id };
      },
      leave: (_c, p, connection) => void events.push(`leave ${p} ${connection.id}`),
      applySpeakingRights: async () => {},
      removeParticipant: async () => {},
      followPlaces: () => {},
    };
    const media = new MediaService({ circle: async () => circle, provider });
    const other: MediaConnection = { ...conn, id: 's2' };
    const first = media.command('c1', 'a', { type: 'media.join' }, conn);
    const second = media.command('c1', 'a', { type: 'media.join' }, conn);
    const third = media.command('c1', 'a', { type: 'media.leave' }, conn);
    await expect.poll(() => events).toContain('start a s1');
    await media.command('c1', 'f', { type: 'media.join' }, other);
    release();
    await Promise.all([first, second, third]);
    expect(events).toEqual(['start a s1', 'start f s2', 'end f s2', 'end a s1', 'start a s1', 'end a s1', 'leave a s1']);
  });

  it('a closed connection leaves the media session', () => {
    const { media, calls } = setup();
    media.disconnected('c1', 'a', conn);
    expect(calls).toEqual(['leave c1 a s1']);
  });
});
