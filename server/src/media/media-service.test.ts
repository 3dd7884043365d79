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

  it('a closed connection leaves the media session', () => {
    const { media, calls } = setup();
    media.disconnected('c1', 'a', conn);
    expect(calls).toEqual(['leave c1 a s1']);
  });
});
