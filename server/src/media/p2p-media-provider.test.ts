import { type CircleCommand, type CircleState, decide } from '@spiral/shared';
import { makeCircle, NOW } from '@spiral/shared/testing';
import { describe, expect, it } from 'vitest';
import type { MediaConnection } from './media-provider.js';
import { P2pMediaProvider, peerMediaRoom } from './p2p-media-provider.js';
import { PeerMediaSessions } from './peer-media-sessions.js';

const ICE = [{ urls: 'stun:stun.example.org:3478' }];
const circle = makeCircle({ id: 'c1', members: [{ id: 'f', role: 'facilitator' }, { id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }] });
const member = (id: string, state: CircleState = circle) => state.participants.find((p) => p.id === id)!;
const ROOM = peerMediaRoom('c1', 'main');

/** `command` by the facilitator, decided at NOW. */
function after(state: CircleState, command: CircleCommand, actor = 'f'): CircleState {
  const decision = decide(state, command, { actor: { kind: 'member', id: actor }, now: NOW, holderGraceMs: 30_000 });
  if (!decision.ok) throw new Error(decision.rejection.message);
  return decision.state;
}

/** Breakouts of [a, b] and [c, d]; the facilitator stays in the main circle. */
function inPairs(): { state: CircleState; g1: string; g2: string } {
  const state = after(circle, { type: 'breakout.open', size: 2, groups: [['a', 'b'], ['c', 'd']] });
  const [g1, g2] = state.breakouts!.groups.map((g) => g.id) as [string, string];
  return { state, g1, g2 };
}

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
  it('a join answers the ICE servers, the others already there and the place, enters the media room and announces everyone', async () => {
    const p2p = provider();
    const f = connection('s-f');
    const a = connection('s-a');
    expect(await p2p.join(circle, member('f'), f.conn)).toEqual({ ok: true, mode: 'p2p', iceServers: ICE, peers: [], place: 'main', sendersMax: 2, receiveOnly: false });
    expect(await p2p.join(circle, member('a'), a.conn)).toEqual({ ok: true, mode: 'p2p', iceServers: ICE, peers: ['f'], place: 'main', sendersMax: 2, receiveOnly: false });
    expect(a.rooms.has(ROOM)).toBe(true);
    expect(a.announced).toEqual([{ room: ROOM, peers: ['f', 'a'] }]);
    expect(p2p.sessionOf('c1', 'a')).toEqual({ place: 'main', connectionId: 's-a' });
  });

  it('beyond the senders a member joins receiving only; the holder and facilitators send before earlier joiners', async () => {
    const p2p = provider(2);
    await p2p.join(circle, member('a'), connection('s-a').conn);
    await p2p.join(circle, member('b'), connection('s-b').conn);
    const c = connection('s-c');
    expect(await p2p.join(circle, member('c'), c.conn)).toMatchObject({ ok: true, mode: 'p2p', peers: ['a', 'b'], sendersMax: 2, receiveOnly: true });
    expect(c.rooms.has(ROOM)).toBe(true);
    expect(c.announced.at(-1)).toEqual({ room: ROOM, peers: ['a', 'b', 'c'] });
    // The facilitator, joining last, still sends; so does whoever holds the piece.
    expect(await p2p.join(circle, member('f'), connection('s-f').conn)).toMatchObject({ ok: true, receiveOnly: false });
    const holding = makeCircle({ id: 'c1', members: circle.participants.map((p) => ({ id: p.id, role: p.role })), holderId: 'd', mode: 'round' });
    const other = provider(2);
    for (const id of ['a', 'b', 'c']) await other.join(holding, member(id, holding), connection(`s-${id}`).conn);
    expect(await other.join(holding, member('d', holding), connection('s-d').conn)).toMatchObject({ ok: true, receiveOnly: false });
  });

  it('a session full even for receiving answers media_unavailable in words for people, and changes nothing', async () => {
    const p2p = provider(1);
    await p2p.join(circle, member('f'), connection('s-f').conn);
    await p2p.join(circle, member('a'), connection('s-a').conn);
    const b = connection('s-b');
    const ack = await p2p.join(circle, member('b'), b.conn);
    expect(ack).toMatchObject({ ok: false, error: { code: 'media_unavailable' } });
    expect(!ack.ok && ack.error.message).toMatch(/larger than a direct video call can carry \(2 people\).*video server/);
    expect(!ack.ok && ack.error.message).not.toMatch(/LIVEKIT|LiveKit/);
    expect(b.rooms.size).toBe(0);
    expect(b.announced).toEqual([]);
    expect(p2p.sessionOf('c1', 'b')).toBeUndefined();
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
    expect(p2p.sessionOf('c1', 'a')).toBeUndefined();
  });

  it('an older connection of a member who joined again from a new one leaves the room and does not take them out', async () => {
    const p2p = provider();
    const old = connection('s-old');
    const fresh = connection('s-new');
    await p2p.join(circle, member('a'), old.conn);
    await p2p.join(circle, member('a'), fresh.conn);
    expect(old.rooms.size).toBe(0);
    p2p.leave('c1', 'a', old.conn);
    expect(p2p.sessionOf('c1', 'a')).toEqual({ place: 'main', connectionId: 's-new' });
    expect(fresh.rooms.has(ROOM)).toBe(true);
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
    expect(p2p.sessionOf('c1', 'a')).toBeUndefined();
    expect(a.rooms.has(ROOM)).toBe(false);
    expect(a.announced.flatMap((x) => x.peers)).not.toContain('a');
    // The place is free again for someone else.
    expect(await p2p.join(circle, member('b'), connection('s-b').conn)).toMatchObject({ ok: true, peers: ['f'] });
  });
});

describe('P2P media during breakouts: one session per place', () => {
  it('each group is a session of its own: its room, its peers, its announcements', async () => {
    const p2p = provider(2);
    const { state, g1, g2 } = inPairs();
    const conns = Object.fromEntries(['f', 'a', 'b', 'c', 'd'].map((id) => [id, connection(`s-${id}`)]));
    const acks: Record<string, unknown> = {};
    for (const id of ['f', 'a', 'b', 'c', 'd']) acks[id] = await p2p.join(state, member(id, state), conns[id]!.conn);
    expect(acks.f).toMatchObject({ ok: true, peers: [], place: 'main' });
    expect(acks.a).toMatchObject({ ok: true, peers: [], place: g1 });
    expect(acks.b).toMatchObject({ ok: true, peers: ['a'], place: g1 });
    expect(acks.c).toMatchObject({ ok: true, peers: [], place: g2 });
    expect(acks.d).toMatchObject({ ok: true, peers: ['c'], place: g2 });
    expect([...conns.a!.rooms]).toEqual([peerMediaRoom('c1', g1)]);
    expect([...conns.d!.rooms]).toEqual([peerMediaRoom('c1', g2)]);
    expect(conns.d!.announced).toEqual([{ room: peerMediaRoom('c1', g2), peers: ['c', 'd'] }]);
    expect(p2p.sessionOf('c1', 'b')).toEqual({ place: g1, connectionId: 's-b' });
  });

  it('P2P_MAX_PEERS counts per place: a full main circle does not keep anyone out of a group', async () => {
    const p2p = provider(1);
    const { state, g1 } = inPairs();
    expect(await p2p.join(state, member('f', state), connection('s-f').conn)).toMatchObject({ ok: true, place: 'main' });
    expect(await p2p.join(state, member('a', state), connection('s-a').conn)).toMatchObject({ ok: true, place: g1 });
    expect(await p2p.join(state, member('b', state), connection('s-b').conn)).toMatchObject({ ok: true, place: g1, receiveOnly: true });
    expect(await p2p.join(state, member('c', state), connection('s-c').conn)).toMatchObject({ ok: true, receiveOnly: false });
  });

  it('a member whose place changed and who joins again moves: the old place hears them go, the new one come', async () => {
    const p2p = provider(6);
    const f = connection('s-f');
    const a = connection('s-a');
    const b = connection('s-b');
    for (const [id, c] of [['f', f], ['a', a], ['b', b]] as const) await p2p.join(circle, member(id), c.conn);
    const { state, g1 } = inPairs();
    expect(await p2p.join(state, member('a', state), a.conn)).toMatchObject({ ok: true, peers: [], place: g1 });
    expect(a.rooms).toEqual(new Set([peerMediaRoom('c1', g1)]));
    expect(a.announced).toEqual([
      { room: ROOM, peers: ['f', 'a'] },
      { room: ROOM, peers: ['f', 'b'] }, // the main circle hears a go
      { room: peerMediaRoom('c1', g1), peers: ['a'] },
    ]);
    expect(await p2p.join(state, member('b', state), b.conn)).toMatchObject({ ok: true, peers: ['a'], place: g1 });
    // Back to the main circle when the breakouts close.
    const closed = after(state, { type: 'breakout.close' });
    expect(await p2p.join(closed, member('a', closed), a.conn)).toMatchObject({ ok: true, peers: ['f'], place: 'main' });
    expect(a.announced.slice(-2)).toEqual([
      { room: peerMediaRoom('c1', g1), peers: ['b'] },
      { room: ROOM, peers: ['f', 'a'] },
    ]);
    expect(p2p.sessionOf('c1', 'b')?.place).toBe(g1); // until b joins again
  });

  it('moving into a full place leaves the old one all the same: the member is in no session', async () => {
    const p2p = provider(1);
    const { state: paired, g1 } = inPairs();
    // The facilitator visits g1: with b there, it is full (one sender, one receiving only).
    const state = after(paired, { type: 'breakout.visit', groupId: g1 });
    await p2p.join(state, member('b', state), connection('s-b').conn);
    await p2p.join(state, member('f', state), connection('s-f').conn);
    const a = connection('s-a');
    await p2p.join(circle, member('a'), a.conn);
    expect(await p2p.join(state, member('a', state), a.conn)).toMatchObject({ ok: false, error: { code: 'media_unavailable' } });
    expect(p2p.sessionOf('c1', 'a')).toBeUndefined();
    expect(a.rooms.size).toBe(0);
    expect(a.announced.at(-1)).toEqual({ room: ROOM, peers: [] });
    expect(p2p.sessionOf('c1', 'b')?.place).toBe(g1);
  });

  it('following places: those whose place changed leave their old session at once, each old place told once; the others stay', async () => {
    const p2p = provider(6);
    const conns = Object.fromEntries(['f', 'a', 'b', 'c'].map((id) => [id, connection(`s-${id}`)]));
    for (const id of ['f', 'a', 'b', 'c']) await p2p.join(circle, member(id), conns[id]!.conn);
    const { state, g1 } = inPairs();
    const announcedBefore = Object.values(conns).reduce((n, c) => n + c.announced.length, 0);
    p2p.followPlaces(state);
    expect(p2p.sessionOf('c1', 'f')).toEqual({ place: 'main', connectionId: 's-f' });
    for (const id of ['a', 'b', 'c']) {
      expect(p2p.sessionOf('c1', id)).toBeUndefined();
      expect(conns[id]!.rooms.size).toBe(0);
    }
    // One word to the main circle (only it lost anyone), naming who is left.
    expect(Object.values(conns).reduce((n, c) => n + c.announced.length, 0)).toBe(announcedBefore + 1);
    expect(Object.values(conns).flatMap((c) => c.announced).filter((x) => x.room === ROOM).at(-1)).toEqual({ room: ROOM, peers: ['f'] });
    // Joining again seats them in their group; following the same state again changes nothing.
    await p2p.join(state, member('a', state), conns.a!.conn);
    p2p.followPlaces(state);
    expect(p2p.sessionOf('c1', 'a')).toEqual({ place: g1, connectionId: 's-a' });
  });

  it('a facilitator visiting a group joins that group\'s session', async () => {
    const p2p = provider(6);
    const { state, g2 } = inPairs();
    const visiting = after(state, { type: 'breakout.visit', groupId: g2 });
    await p2p.join(visiting, member('c', visiting), connection('s-c').conn);
    expect(await p2p.join(visiting, member('f', visiting), connection('s-f').conn)).toMatchObject({ ok: true, peers: ['c'], place: g2 });
  });
});
