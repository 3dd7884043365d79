import { decide, type CircleState, type Effect } from '@spiral/shared';
import { type CircleSpec, makeCircle } from '@spiral/shared/testing';
import { TokenVerifier } from 'livekit-server-sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logger.js';
import { FakeLiveKitServer } from '../testing/fake-livekit-server.js';
import { LiveKitMediaProvider, mediaRoomName, mediaRoomOf } from './livekit-media-provider.js';

const KEY = 'devkey';
const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const NOW = 1_800_000_000_000;

/** Fran facilitates; Ada, Bea and Cy take part; all here. A piece held since the circle began is held since NOW. */
function circle(spec: Omit<CircleSpec, 'id' | 'members' | 'createdAt'> = {}): CircleState {
  return makeCircle({
    id: 'circle1',
    title: 'T',
    createdAt: NOW,
    members: [
      { id: 'f', name: 'Fran', role: 'facilitator' },
      { id: 'a', name: 'Ada' },
      { id: 'b', name: 'Bea' },
      { id: 'c', name: 'Cy' },
    ],
    ...spec,
  });
}

const member = (state: CircleState, id: string) => state.participants.find((p) => p.id === id)!;

let fake: FakeLiveKitServer;
let provider: LiveKitMediaProvider;
const verifier = new TokenVerifier(KEY, SECRET);

beforeEach(async () => {
  fake = new FakeLiveKitServer(KEY, SECRET);
  const url = await fake.start();
  provider = new LiveKitMediaProvider({ url, apiKey: KEY, apiSecret: SECRET, retry: { minTimeoutMs: 5, retries: 4 } }, createLogger('silent'));
});
afterEach(() => fake.stop());

async function claimsFor(state: CircleState, id: string) {
  const grant = await provider.issueToken(state, member(state, id));
  expect(grant.url).toBe(fake.url);
  return verifier.verify(grant.token);
}

describe('LiveKit tokens', () => {
  it('a holder may publish camera and microphone; identity, name, room, TTL ≤ 10 min', async () => {
    const state = circle({ mode: 'round', holderId: 'a' });
    const claims = await claimsFor(state, 'a');
    expect(claims.sub).toBe('a');
    expect(claims.name).toBe('Ada');
    expect(claims.video).toMatchObject({
      room: mediaRoomName('circle1'),
      roomJoin: true,
      canSubscribe: true,
      canPublish: true,
      canPublishData: false,
      canPublishSources: ['camera', 'microphone'],
    });
    expect(claims.exp! - claims.nbf!).toBeLessThanOrEqual(120);
    expect(claims.exp! * 1000).toBeGreaterThan(Date.now());
  });

  it('a participant without the piece may publish only the camera', async () => {
    const state = circle({ mode: 'round', holderId: 'a' });
    expect((await claimsFor(state, 'b')).video?.canPublishSources).toEqual(['camera']);
  });

  it('in open mode everyone may publish a microphone', async () => {
    const state = circle({ mode: 'open' });
    for (const id of ['a', 'b', 'c']) {
      expect((await claimsFor(state, id)).video?.canPublishSources).toEqual(['camera', 'microphone']);
    }
  });

  it('a facilitator may speak and share a screen while facilitatorsMaySpeak is true', async () => {
    const state = circle();
    expect((await claimsFor(state, 'f')).video?.canPublishSources).toEqual(['camera', 'microphone', 'screen_share', 'screen_share_audio']);
  });

  it('without facilitatorsMaySpeak a facilitator needs the piece to speak, but may still share a screen', async () => {
    const state = circle({ settings: { facilitatorsMaySpeak: false } });
    expect((await claimsFor(state, 'f')).video?.canPublishSources).toEqual(['camera', 'screen_share', 'screen_share_audio']);
    const holding = circle({ settings: { facilitatorsMaySpeak: false }, holderId: 'f' });
    expect((await claimsFor(holding, 'f')).video?.canPublishSources).toContain('microphone');
  });

  it('a token signed by us does not verify with another secret', async () => {
    const grant = await provider.issueToken(circle(), member(circle(), 'a'));
    await expect(new TokenVerifier(KEY, 'another-secret-that-is-long-enough-xx').verify(grant.token)).rejects.toThrow();
  });
});

describe('media.join through LiveKit', () => {
  it('answers the LiveKit url and a token for the member', async () => {
    const state = circle({ mode: 'round', holderId: 'a' });
    const ack = await provider.join(state, member(state, 'a'));
    expect(ack).toMatchObject({ ok: true, mode: 'livekit', url: fake.url });
    const claims = await verifier.verify((ack as { token: string }).token);
    expect(claims.sub).toBe('a');
  });

  it('a token that cannot be made is media_unavailable, not a failure', async () => {
    const broken = new LiveKitMediaProvider({ url: fake.url, apiKey: KEY, apiSecret: '' }, createLogger('silent'));
    const state = circle();
    expect(await broken.join(state, member(state, 'a'))).toEqual({
      ok: false,
      error: { code: 'media_unavailable', message: 'Video is unavailable right now.' },
    });
  });
});

function permissionEffects(before: CircleState, command: Parameters<typeof decide>[1], actor = 'f') {
  const decision = decide(before, command, { actor: { kind: 'member', id: actor }, now: NOW + 1, holderGraceMs: 30_000 });
  if (!decision.ok) throw new Error(decision.rejection.message);
  const effect = decision.effects.find((e): e is Extract<Effect, { type: 'media.permissions' }> => e.type === 'media.permissions');
  return { state: decision.state, changes: effect?.changes ?? [] };
}

describe('RoomService permission updates', () => {
  it('a pass A→B revokes A and grants B; nobody else is touched', async () => {
    const before = circle({ mode: 'round', holderId: 'a' });
    const { state, changes } = permissionEffects(before, { type: 'piece.pass', to: 'b' }, 'a');
    await provider.applySpeakingRights(state, changes);
    expect(fake.updates().sort((x, y) => x.identity.localeCompare(y.identity))).toEqual([
      { identity: 'a', sources: ['CAMERA'] },
      { identity: 'b', sources: ['CAMERA', 'MICROPHONE'] },
    ]);
    for (const call of fake.calls) {
      expect(call.grant).toMatchObject({ roomAdmin: true, room: mediaRoomName('circle1') });
      expect(call.body.room).toBe(mediaRoomName('circle1'));
      expect(call.body.permission).toMatchObject({ canSubscribe: true, canPublish: true });
    }
  });

  it('switching to open grants every participant who could not speak', async () => {
    const before = circle({ mode: 'round', holderId: 'a' });
    const { state, changes } = permissionEffects(before, { type: 'piece.mode', mode: 'open' });
    await provider.applySpeakingRights(state, changes);
    expect(fake.updates().map((u) => u.identity).sort()).toEqual(['b', 'c']);
    expect(fake.updates().every((u) => u.sources.includes('MICROPHONE'))).toBe(true);
  });

  it('a failing endpoint is retried until it answers', async () => {
    fake.failNext = 2;
    const before = circle({ mode: 'round' });
    const { state, changes } = permissionEffects(before, { type: 'piece.pass', to: 'c' });
    await provider.applySpeakingRights(state, changes);
    expect(fake.failNext).toBe(0);
    expect(fake.updates()).toEqual([{ identity: 'c', sources: ['CAMERA', 'MICROPHONE'] }]);
  });

  it('gives up quietly after its retries; never throws', async () => {
    fake.failNext = 100;
    const before = circle({ mode: 'round' });
    const { state, changes } = permissionEffects(before, { type: 'piece.pass', to: 'c' });
    await expect(provider.applySpeakingRights(state, changes)).resolves.toBeUndefined();
    expect(fake.failNext).toBe(100 - 5);
  });

  it('a member not in the media room (and given no token lately) is not retried', async () => {
    fake.absent.add('c');
    const before = circle({ mode: 'round' });
    const { state, changes } = permissionEffects(before, { type: 'piece.pass', to: 'c' });
    await provider.applySpeakingRights(state, changes);
    expect(fake.calls).toHaveLength(1);
  });

  it('rapid passes end with the newest permissions, whatever the order of retries', async () => {
    fake.failNext = 1;
    let state = circle({ mode: 'round', holderId: 'a' });
    const pending: Promise<void>[] = [];
    for (const [to, by] of [['b', 'a'], ['a', 'b'], ['b', 'a']] as const) {
      const step = permissionEffects(state, { type: 'piece.pass', to }, by);
      state = step.state;
      pending.push(provider.applySpeakingRights(state, step.changes));
    }
    await Promise.all(pending);
    const last = new Map(fake.updates().map((u) => [u.identity, u.sources]));
    expect(last.get('b')).toEqual(['CAMERA', 'MICROPHONE']);
    expect(last.get('a')).toEqual(['CAMERA']);
  });

  it('removes a member from the media room and revokes the tokens they were given', async () => {
    const before = Math.floor(Date.now() / 1000);
    await provider.removeParticipant('circle1', 'b');
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]).toMatchObject({ method: 'RemoveParticipant', body: { room: mediaRoomName('circle1'), identity: 'b' } });
    expect(Number(fake.calls[0]!.body.revokeTokenTs)).toBeGreaterThan(before);
  });

  it('waits for a member who was just given a token: not_found is retried until they are in the room', async () => {
    const state = circle({ mode: 'round' });
    await provider.issueToken(state, member(state, 'c'));
    fake.absent.add('c');
    const { state: next, changes } = permissionEffects(state, { type: 'piece.pass', to: 'c' });
    const applying = provider.applySpeakingRights(next, changes);
    await expect.poll(() => fake.calls.length).toBeGreaterThanOrEqual(2);
    fake.absent.delete('c'); // they have entered the room
    await applying;
    expect(fake.updates().at(-1)).toEqual({ identity: 'c', sources: ['CAMERA', 'MICROPHONE'] });
  });
});

/** `command` by `actor` (the facilitator by default), decided just after NOW. */
function after(state: CircleState, command: Parameters<typeof decide>[1], actor = 'f'): CircleState {
  return permissionEffects(state, command, actor).state;
}

/** Breakouts in turns: [a, b] (a speaks first) and [c]; the facilitator stays in the main circle. */
function inGroups(base: CircleState = circle({ mode: 'round', holderId: 'a' })) {
  const state = after(base, { type: 'breakout.open', size: 2, groups: [['a', 'b'], ['c']] });
  const [g1, g2] = state.breakouts!.groups.map((g) => g.id) as [string, string];
  return { state, g1, g2, room1: mediaRoomName('circle1', g1), room2: mediaRoomName('circle1', g2) };
}

describe('LiveKit rooms per place (breakouts)', () => {
  it('names the main room spiral-<circleId> and a group\'s spiral-<circleId>-<groupId>', () => {
    const { state, g1, room1 } = inGroups();
    expect(mediaRoomName('circle1')).toBe('spiral-circle1');
    expect(room1).toBe(`spiral-circle1-${g1}`);
    expect(mediaRoomOf(state, 'b')).toEqual({ place: g1, room: room1 });
    expect(mediaRoomOf(state, 'f')).toEqual({ place: 'main', room: 'spiral-circle1' });
  });

  it('media.join gives a token for the room of the member\'s place, and says which place', async () => {
    const { state, g1, g2, room1, room2 } = inGroups();
    const roomOf = async (s: CircleState, id: string) => {
      const ack = await provider.join(s, member(s, id));
      if (!ack.ok || !('token' in ack)) throw new Error('no token');
      return { place: ack.place, room: (await verifier.verify(ack.token)).video?.room };
    };
    expect(await roomOf(state, 'a')).toEqual({ place: g1, room: room1 });
    expect(await roomOf(state, 'c')).toEqual({ place: g2, room: room2 });
    expect(await roomOf(state, 'f')).toEqual({ place: 'main', room: mediaRoomName('circle1') });
    // A visiting facilitator gets the visited group's room, and may speak there.
    const visiting = after(state, { type: 'breakout.visit', groupId: g2 });
    expect(await roomOf(visiting, 'f')).toEqual({ place: g2, room: room2 });
    // Once the breakouts close, everyone is back in the main room.
    const closed = after(state, { type: 'breakout.close' });
    expect(await roomOf(closed, 'a')).toEqual({ place: 'main', room: mediaRoomName('circle1') });
  });

  it('grants in a group follow its speaker: the speaker may use the microphone, the others not', async () => {
    const { state } = inGroups();
    expect((await claimsFor(state, 'a')).video?.canPublishSources).toEqual(['camera', 'microphone']);
    expect((await claimsFor(state, 'b')).video?.canPublishSources).toEqual(['camera']);
    expect((await claimsFor(state, 'c')).video?.canPublishSources).toEqual(['camera', 'microphone']);
  });

  it('after a swap the group\'s new speaker gets the microphone and the former one loses it, in the group\'s room', async () => {
    const { state: open, room1 } = inGroups();
    const { state, changes } = permissionEffects(open, { type: 'breakout.swap' });
    await provider.applySpeakingRights(state, changes);
    expect(fake.updates().sort((x, y) => x.identity.localeCompare(y.identity))).toEqual([
      { identity: 'a', sources: ['CAMERA'] },
      { identity: 'b', sources: ['CAMERA', 'MICROPHONE'] },
    ]);
    for (const call of fake.calls) {
      expect(call.body.room).toBe(room1);
      expect(call.grant).toMatchObject({ roomAdmin: true, room: room1 });
    }
  });

  it('a member who moves while an update for the old room is being retried ends with one wish, for the new room', async () => {
    // a may speak in the main circle (the holder); breakouts open and a is now b's listener in g1.
    const base = circle({ mode: 'round', holderId: 'f' });
    const passed = permissionEffects(base, { type: 'piece.pass', to: 'a' });
    const grouped = after(passed.state, { type: 'breakout.open', size: 2, groups: [['b', 'a'], ['c']] });
    const moved = permissionEffects(passed.state, { type: 'breakout.open', size: 2, groups: [['b', 'a'], ['c']] });
    const room1 = mediaRoomName('circle1', grouped.breakouts!.groups[0]!.id);
    fake.failNext = 2;
    await Promise.all([provider.applySpeakingRights(passed.state, passed.changes), provider.applySpeakingRights(moved.state, moved.changes)]);
    const forA = fake.calls.filter((c) => c.body.identity === 'a');
    expect(forA.length).toBeGreaterThan(0);
    for (const call of forA) expect(call.body.room).toBe(room1);
    expect(fake.updates().filter((u) => u.identity === 'a').at(-1)).toEqual({ identity: 'a', sources: ['CAMERA'] });
  });

  it('waits for a member entering a room only with a token for that very room', async () => {
    const { state: open, room1 } = inGroups(circle({ mode: 'round' }));
    fake.absent.add('b');
    // b's token is for the main room: not in g1 yet, so the update is not retried (their next token carries it).
    await provider.issueToken(circle({ mode: 'round' }), member(circle(), 'b'));
    const swapped = permissionEffects(open, { type: 'breakout.swap' });
    await provider.applySpeakingRights(swapped.state, swapped.changes);
    expect(fake.calls.filter((c) => c.body.identity === 'b')).toHaveLength(1);
    // With a token for g1, b may be entering it: the update waits for them.
    fake.calls.length = 0;
    await provider.issueToken(open, member(open, 'b'));
    const back = permissionEffects(swapped.state, { type: 'breakout.swap' });
    const applying = provider.applySpeakingRights(back.state, back.changes);
    await expect.poll(() => fake.calls.filter((c) => c.body.identity === 'b').length).toBeGreaterThanOrEqual(2);
    fake.absent.delete('b');
    await applying;
    expect(fake.updates().filter((u) => u.identity === 'b').at(-1)).toEqual({ identity: 'b', sources: ['CAMERA'] });
    expect(fake.calls.filter((c) => c.body.identity === 'b').every((c) => c.body.room === room1)).toBe(true);
  });

  it('removes a member from the room they are in now: the room of their latest token', async () => {
    const { state, room1 } = inGroups();
    await provider.issueToken(circle(), member(circle(), 'b'));
    await provider.issueToken(state, member(state, 'b'));
    await provider.removeParticipant('circle1', 'b');
    expect(fake.calls).toEqual([expect.objectContaining({ method: 'RemoveParticipant', body: expect.objectContaining({ room: room1, identity: 'b' }) })]);
  });

  it('takes a member out of the room of a place they have left, without revoking their tokens, once', async () => {
    const main = circle({ mode: 'round', holderId: 'a' });
    await provider.issueToken(main, member(main, 'b'));
    await provider.issueToken(main, member(main, 'f'));
    const { state } = inGroups(main);
    provider.followPlaces(state);
    provider.followPlaces(state);
    await vi.waitFor(() => expect(fake.calls.filter((c) => c.method === 'RemoveParticipant')).toHaveLength(1));
    const removal = fake.calls.find((c) => c.method === 'RemoveParticipant')!;
    // b went into a pair and is taken out of the main room; f stayed in the main circle and is not.
    expect(removal.body).toMatchObject({ room: 'spiral-circle1', identity: 'b' });
    expect(JSON.stringify(removal.body)).not.toContain('revokeTokenTs');
  });
});

