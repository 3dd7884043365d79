import type { RelayedMediaSignal, SignalAck } from '@spiral/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeAllSockets, join, roundTrip, seatCircle, startServer, type Member, type TestServer } from '../support/harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ config: { p2pMaxPeers: 3, iceServers: [{ urls: 'stun:stun.example.org:3478' }] } });
});
afterAll(() => server.close());
afterEach(() => closeAllSockets());

const idOf = (m: Member) => m.welcome.participantId;

function collect<T>(member: Member, event: 'media:peers' | 'media:signal'): T[] {
  const seen: T[] = [];
  (member.socket as unknown as { on: (e: string, f: (x: T) => void) => void }).on(event, (x: T) => seen.push(x));
  return seen;
}

const signal = (from: Member, payload: unknown) =>
  new Promise<SignalAck>((resolve) => from.socket.emit('media:signal', payload as never, resolve));

describe('peer-to-peer media without LiveKit', () => {
  it('media.join seats members in the P2P session and tells everyone in it who is there', async () => {
    const { host, others } = await seatCircle(server.url, ['Bea']);
    const bea = others[0]!;
    const hostPeers = collect<{ peers: string[] }>(host, 'media:peers');
    expect(await host.send({ type: 'media.join' })).toEqual({ ok: true, mode: 'p2p', iceServers: [{ urls: 'stun:stun.example.org:3478' }], peers: [], place: 'main', sendersMax: 3, receiveOnly: false });
    expect(await bea.send({ type: 'media.join' })).toMatchObject({ ok: true, mode: 'p2p', peers: [idOf(host)] });
    await expect.poll(() => hostPeers.at(-1)?.peers.sort()).toEqual([idOf(host), idOf(bea)].sort());
    bea.close();
    await expect.poll(() => hostPeers.at(-1)?.peers).toEqual([idOf(host)]);
  });

  it('beyond P2P_MAX_PEERS a newcomer joins receiving only: everyone links to them, they are told they are not sent', async () => {
    const { host, others } = await seatCircle(server.url, ['A', 'B', 'C', 'D', 'E', 'F']);
    const [a, b, c, d, e, f] = others as [Member, Member, Member, Member, Member, Member];
    const hostPeers = collect<{ peers: string[] }>(host, 'media:peers');
    for (const m of [host, a, b]) expect(await m.send({ type: 'media.join' })).toMatchObject({ ok: true, receiveOnly: false, sendersMax: 3 });
    // The fourth receives only, and every sender hears of them (so they connect and send to them).
    expect(await c.send({ type: 'media.join' })).toMatchObject({ ok: true, mode: 'p2p', peers: [idOf(host), idOf(a), idOf(b)], receiveOnly: true });
    await expect.poll(() => hostPeers.at(-1)?.peers).toEqual([idOf(host), idOf(a), idOf(b), idOf(c)]);
    // They can be reached by a sender's offer and answer it (receive-only is a direction, not a wall).
    const received = collect<RelayedMediaSignal>(c, 'media:signal');
    expect(await signal(a, { to: idOf(c), description: { type: 'offer', sdp: 'v=0\r\n' } })).toEqual({ ok: true });
    expect(await signal(c, { to: idOf(a), description: { type: 'answer', sdp: 'v=0\r\n' } })).toEqual({ ok: true });
    await expect.poll(() => received.length).toBe(1);
    // Twice P2P_MAX_PEERS in all; then the session is full, said in words for people.
    for (const m of [d, e]) expect(await m.send({ type: 'media.join' })).toMatchObject({ ok: true, receiveOnly: true });
    const ack = await f.send({ type: 'media.join' });
    expect(ack).toMatchObject({ ok: false, error: { code: 'media_unavailable' } });
    expect(!ack.ok && ack.error.message).toMatch(/larger than a direct video call can carry/);
    expect(!ack.ok && ack.error.message).not.toMatch(/LIVEKIT/);
    // A sender leaves: a seat is free again (c, the first to receive only, now sends by the shared rule), and f joins receiving only.
    expect(await host.send({ type: 'media.leave' })).toMatchObject({ ok: true });
    expect(await f.send({ type: 'media.join' })).toMatchObject({ ok: true, mode: 'p2p', receiveOnly: true });
  });

  it('relays a signal only between members of the same session, marked with the sender', async () => {
    const { host, others } = await seatCircle(server.url, ['Bea']);
    const bea = others[0]!;
    const received = collect<RelayedMediaSignal>(bea, 'media:signal');
    await host.send({ type: 'media.join' });
    await bea.send({ type: 'media.join' });
    const offer = { to: idOf(bea), description: { type: 'offer', sdp: 'v=0\r\n' } };
    expect(await signal(host, offer)).toEqual({ ok: true });
    const candidate = { to: idOf(bea), candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 } };
    expect(await signal(host, candidate)).toEqual({ ok: true });
    await roundTrip(bea);
    expect(received).toEqual([
      { from: idOf(host), description: { type: 'offer', sdp: 'v=0\r\n' } },
      { from: idOf(host), candidate: candidate.candidate },
    ]);
  });

  it('never reaches someone outside the circle, and refuses malformed or unauthorised signals', async () => {
    const first = await seatCircle(server.url, ['Bea']);
    const second = await seatCircle(server.url, []);
    const outsider = second.host;
    const outsiderReceived = collect<RelayedMediaSignal>(outsider, 'media:signal');
    await outsider.send({ type: 'media.join' });
    const bea = first.others[0]!;
    expect(await signal(first.host, { to: idOf(bea), candidate: null })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await first.host.send({ type: 'media.join' });
    expect(await signal(first.host, { to: idOf(outsider), description: { type: 'offer', sdp: 'x' } })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await signal(first.host, { to: idOf(bea), description: { type: 'offer', sdp: 'x' } })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    for (const bad of [null, 'hello', { to: idOf(bea) }, { to: 5, candidate: null }, { to: idOf(bea), description: { type: 'shout', sdp: 'x' } }, { to: idOf(bea), description: { type: 'offer', sdp: 'x'.repeat(15_000) } }]) {
      expect(await signal(first.host, bad)).toMatchObject({ ok: false, error: { code: 'invalid' } });
    }
    await roundTrip(outsider);
    expect(outsiderReceived).toEqual([]);
  });

  it('rate-limits a flood of signals on that connection only', async () => {
    const { host, others } = await seatCircle(server.url, ['Bea']);
    const bea = others[0]!;
    await host.send({ type: 'media.join' });
    await bea.send({ type: 'media.join' });
    const acks = await Promise.all(Array.from({ length: 600 }, () => signal(host, { to: idOf(bea), candidate: null })));
    expect(acks.filter((a) => !a.ok && a.error.code === 'rate_limited').length).toBeGreaterThan(100);
    expect(await signal(bea, { to: idOf(host), candidate: null })).toEqual({ ok: true });
  });

  it('a member who reconnects must join the session again; the old connection closing does not remove them', async () => {
    const { circle, host } = await seatCircle(server.url, []);
    const hostPeers = collect<{ peers: string[] }>(host, 'media:peers');
    await host.send({ type: 'media.join' });
    const again = await join(server.url, { circleId: circle.circleId, sessionToken: host.welcome.sessionToken });
    expect(await again.send({ type: 'media.join' })).toMatchObject({ ok: true, peers: [] });
    await roundTrip(again);
    expect(hostPeers.at(-1)?.peers).toEqual([idOf(host)]);
  });
});

describe('peer-to-peer media during breakouts: peers connect only within a place', () => {
  let wide: TestServer;
  beforeAll(async () => {
    wide = await startServer({ config: { p2pMaxPeers: 6 } });
  });
  afterAll(() => wide.close());

  it('two pairs: each member\'s peers are only their partner, signals never cross groups; after breakout.close all are in the main session again', async () => {
    const { host, others } = await seatCircle(wide.url, ['Ana', 'Ben', 'Cleo', 'Dan']);
    const [ana, ben, cleo, dan] = others as [Member, Member, Member, Member];
    for (const m of [host, ana, ben, cleo, dan]) expect(await m.send({ type: 'media.join' })).toMatchObject({ ok: true, place: 'main' });
    const hostPeers = collect<{ peers: string[] }>(host, 'media:peers');
    const anaPeers = collect<{ peers: string[] }>(ana, 'media:peers');
    const cleoReceived = collect<RelayedMediaSignal>(cleo, 'media:signal');
    const benReceived = collect<RelayedMediaSignal>(ben, 'media:signal');

    expect(await host.send({ type: 'breakout.open', size: 2, groups: [[idOf(ana), idOf(ben)], [idOf(cleo), idOf(dan)]] })).toMatchObject({ ok: true });
    const [g1, g2] = (await host.waitFor((s) => s.breakouts !== null)).breakouts!.groups.map((g) => g.id) as [string, string];
    // Each member joins media again for their new place (as the client does).
    expect(await ana.send({ type: 'media.join' })).toMatchObject({ ok: true, mode: 'p2p', place: g1, peers: [] });
    expect(await ben.send({ type: 'media.join' })).toMatchObject({ ok: true, place: g1, peers: [idOf(ana)] });
    expect(await cleo.send({ type: 'media.join' })).toMatchObject({ ok: true, place: g2, peers: [] });
    expect(await dan.send({ type: 'media.join' })).toMatchObject({ ok: true, place: g2, peers: [idOf(cleo)] });
    // The main circle heard them go; the pair heard only each other.
    await expect.poll(() => hostPeers.at(-1)?.peers).toEqual([idOf(host)]);
    await roundTrip(ana);
    expect(anaPeers.at(-1)?.peers.sort()).toEqual([idOf(ana), idOf(ben)].sort());
    for (const { peers } of anaPeers) for (const id of peers) expect([idOf(ana), idOf(ben)]).toContain(id);

    // Within a pair signals pass; across pairs, and between a group and the main circle, never.
    const offer = (to: Member) => ({ to: idOf(to), description: { type: 'offer', sdp: 'v=0\r\n' } });
    expect(await signal(ana, offer(ben))).toEqual({ ok: true });
    expect(await signal(dan, offer(cleo))).toEqual({ ok: true });
    for (const [from, to] of [[ana, cleo], [dan, ben], [host, ana], [ben, host]] as const) {
      expect(await signal(from, offer(to))).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
    await roundTrip(cleo);
    await roundTrip(ben);
    expect(cleoReceived.map((x) => x.from)).toEqual([idOf(dan)]);
    expect(benReceived.map((x) => x.from)).toEqual([idOf(ana)]);

    // The breakouts close: everyone joins again, and all five are in the main session.
    expect(await host.send({ type: 'breakout.close' })).toMatchObject({ ok: true });
    await host.waitFor((s) => s.breakouts === null);
    const seen: string[] = [idOf(host)];
    for (const m of [ana, ben, cleo, dan]) {
      const ack = await m.send({ type: 'media.join' });
      expect(ack).toMatchObject({ ok: true, place: 'main' });
      expect(ack.ok && 'peers' in ack && [...ack.peers].sort()).toEqual([...seen].sort());
      seen.push(idOf(m));
    }
    await expect.poll(() => hostPeers.at(-1)?.peers.sort()).toEqual([...seen].sort());
    expect(await signal(ana, offer(cleo))).toEqual({ ok: true });
    await roundTrip(cleo);
    expect(cleoReceived.map((x) => x.from)).toEqual([idOf(dan), idOf(ana)]);
  });

  it('a member whose place changed is out of the old place\'s session at once, and in the new one once they join again', async () => {
    const { host, others } = await seatCircle(wide.url, ['Ana', 'Ben']);
    const [ana, ben] = others as [Member, Member];
    const hostPeers = collect<{ peers: string[] }>(host, 'media:peers');
    for (const m of [host, ana, ben]) await m.send({ type: 'media.join' });
    await expect.poll(() => hostPeers.at(-1)?.peers.length).toBe(3);
    await host.send({ type: 'breakout.open', size: 2, groups: [[idOf(ana), idOf(ben)]] });
    // The main circle hears them go without waiting for them to join their group.
    await expect.poll(() => hostPeers.at(-1)?.peers).toEqual([idOf(host)]);
    expect(await signal(host, { to: idOf(ben), candidate: null })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await signal(ben, { to: idOf(host), candidate: null })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await ana.send({ type: 'media.join' })).toMatchObject({ ok: true, peers: [] });
    // Ben has not joined his group's session yet: Ana cannot reach him until he does.
    expect(await signal(ana, { to: idOf(ben), candidate: null })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    await ben.send({ type: 'media.join' });
    expect(await signal(ana, { to: idOf(ben), candidate: null })).toEqual({ ok: true });
    expect(await signal(host, { to: idOf(ben), candidate: null })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
