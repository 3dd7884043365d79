import { makeCircle } from '@spiral/shared/testing';
import { describe, expect, it } from 'vitest';
import type { MediaConnection } from './media-provider.js';
import { P2pMediaProvider, peerMediaRoom } from './p2p-media-provider.js';
import { PeerMediaSessions } from './peer-media-sessions.js';

const ICE = [{ urls: 'stun:stun.example.org:3478' }];
const circle = makeCircle({ id: 'c1', members: [{ id: 'f', role: 'facilitator' }, { id: 'a' }, { id: 'b' }] });
const member = (id: string) => circle.participants.find((p) => p.id === id)!;
const ROOM = peerMediaRoom('c1');

/** A connection that records its rooms, and what was announced through it. */
function connection(id: string, onJoin: () => void = () => {}) {
  const rooms = new Set<string>();
  const announced: { room: string; peers: string[] }[] = [];
  const state = { open: true };
  const conn: MediaConnection = {
    id,
    get open() {
      return state.open;
    },
    join: async (room) => {
      rooms.add(room);
      onJoin();
    },
    leave: async (room) => void rooms.delete(room),
    announce: (room, peers) => void announced.push({ room, peers }),
  };
  return { conn, rooms, announced, close: () => (state.open = false) };
}

function provider(maxPeers = 2) {
  return new P2pMediaProvider({ sessions: new PeerMediaSessions(maxPeers), iceServers: ICE });
}

describe('P2pMediaProvider', () => {
  it('a join answers the ICE servers and the others already there, enters the media room and announces everyone', async () => {
    const p2p = provider();
    const f = connection('s-f');
    const a = connection('s-a');
    expect(await p2p.join(circle, member('f'), f.conn)).toEqual({ ok: true, mode: 'p2p', iceServers: ICE, peers: [] });
    expect(await p2p.join(circle, member('a'), a.conn)).toEqual({ ok: true, mode: 'p2p', iceServers: ICE, peers: ['f'] });
    expect(a.rooms.has(ROOM)).toBe(true);
    expect(a.announced).toEqual([{ room: ROOM, peers: ['f', 'a'] }]);
    expect(p2p.connectionOf('c1', 'a')).toBe('s-a');
  });

  it('a full session answers media_unavailable, says how many it holds and points to LiveKit, and changes nothing', async () => {
    const p2p = provider(2);
    await p2p.join(circle, member('f'), connection('s-f').conn);
    await p2p.join(circle, member('a'), connection('s-a').conn);
    const b = connection('s-b');
    const ack = await p2p.join(circle, member('b'), b.conn);
    expect(ack).toMatchObject({ ok: false, error: { code: 'media_unavailable' } });
    expect(!ack.ok && ack.error.message).toMatch(/at most 2 people.*LIVEKIT_URL/);
    expect(b.rooms.size).toBe(0);
    expect(b.announced).toEqual([]);
    expect(p2p.connectionOf('c1', 'b')).toBeUndefined();
  });

  it('leaving takes the connection out of the room and announces who is left; a second leave announces nothing', async () => {
    const p2p = provider();
    const f = connection('s-f');
    const a = connection('s-a');
    await p2p.join(circle, member('f'), f.conn);
    await p2p.join(circle, member('a'), a.conn);
    p2p.leave('c1', 'a', a.conn);
    expect(a.rooms.has(ROOM)).toBe(false);
    expect(a.announced.at(-1)).toEqual({ room: ROOM, peers: ['f'] });
    const before = a.announced.length;
    p2p.leave('c1', 'a', a.conn);
    expect(a.announced).toHaveLength(before);
    expect(p2p.connectionOf('c1', 'a')).toBeUndefined();
  });

  it('an older connection of a member who joined again from a new one does not take them out', async () => {
    const p2p = provider();
    const old = connection('s-old');
    const fresh = connection('s-new');
    await p2p.join(circle, member('a'), old.conn);
    await p2p.join(circle, member('a'), fresh.conn);
    p2p.leave('c1', 'a', old.conn);
    expect(p2p.connectionOf('c1', 'a')).toBe('s-new');
    expect(old.announced).toHaveLength(1);
  });

  it('a connection that closes while joining leaves no ghost: no place taken, no room, nobody told of it', async () => {
    const p2p = provider(2);
    const f = connection('s-f');
    await p2p.join(circle, member('f'), f.conn);
    // Closes during the join (its disconnect handler has already run its leave, finding nothing).
    const a = connection('s-a', () => a.close());
    const ack = await p2p.join(circle, member('a'), a.conn);
    expect(ack.ok).toBe(false);
    expect(p2p.connectionOf('c1', 'a')).toBeUndefined();
    expect(a.rooms.has(ROOM)).toBe(false);
    // The place is free again for someone else.
    expect(await p2p.join(circle, member('b'), connection('s-b').conn)).toMatchObject({ ok: true, peers: ['f'] });
  });
});
