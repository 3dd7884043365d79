import type { CircleState } from '@spiral/shared';
import { makeCircle } from '@spiral/shared/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MediaController, type CarriedMedia, type CreateSession, type MediaContext } from './media-controller';
import { loadMediaOn, saveMediaOn } from './media-preferences';
import type { MediaSession } from './media-session';
import { deferred, fakeStream, HandingSession, P2P_ACK, RecordingSession, recordingChannel, type JoinAnswer } from './test-doubles';
import { withBreakouts } from '../breakouts/testCircles';

afterEach(() => vi.unstubAllGlobals());

const members = [
  { id: 'f', name: 'Fran', role: 'facilitator' as const },
  { id: 'a', name: 'Ada' },
  { id: 'b', name: 'Bea' },
];
const held = (holderId: string | null, version = 1): CircleState => makeCircle({ id: 'c1', members, holderId, version, settings: { facilitatorsMaySpeak: false } });

/** A controller for member `b` of circle c1 whose sessions are RecordingSessions (kept in `sessions`). */
function setup(options: { ack?: JoinAnswer | (() => Promise<JoinAnswer>); kind?: 'p2p' | 'livekit'; context?: Partial<MediaContext> } = {}) {
  const channel = recordingChannel(options.ack ?? P2P_ACK);
  const sessions: RecordingSession[] = [];
  const createSession = vi.fn<CreateSession>(async () => {
    const session = new RecordingSession(options.kind ?? 'p2p');
    sessions.push(session);
    return session;
  });
  const controller = new MediaController('c1');
  const granted = vi.fn();
  controller.connect({ selfId: 'b', channel, onSpeakingRightGranted: granted, createSession, ...options.context });
  const renders = vi.fn();
  controller.subscribe(renders);
  return { controller, channel, sessions, createSession, granted, renders };
}

describe('MediaController: attempts', () => {
  it('discards a start overtaken by suspend and another start, and closes the session it built', async () => {
    const { controller, channel } = setup();
    const late = deferred<MediaSession>();
    const first = new RecordingSession();
    const second = new RecordingSession();
    const builds = [late.promise, Promise.resolve<MediaSession>(second)];
    controller.connect({ selfId: 'b', channel, createSession: () => builds.shift()! });
    controller.follow(held('a'));

    const starting = controller.start();
    await Promise.resolve(); // the join answered; the session is still being built
    expect(controller.getSnapshot().phase).toEqual({ kind: 'starting' });
    controller.suspend();
    expect(controller.getSnapshot().phase).toEqual({ kind: 'off' });
    await controller.start();
    expect(controller.getSnapshot().phase).toEqual({ kind: 'on' });
    expect(controller.getSnapshot().snapshot?.kind).toBe('p2p');

    late.resolve(first);
    await starting;
    expect(first.closed).toBe(true);
    expect(first.allowed).toEqual([]); // never given the guards: it was never in use
    expect(second.closed).toBe(false);
    expect(controller.getSnapshot().phase).toEqual({ kind: 'on' });
    // The controls act on the session in use, not the discarded one.
    controller.resumeAudio();
    expect(second.resumed).toBe(1);
    expect(first.resumed).toBe(0);
  });

  it('a join answered after stop builds nothing, and a second start while starting is ignored', async () => {
    const answer = deferred<JoinAnswer>();
    const { controller, channel, createSession } = setup();
    controller.connect({ selfId: 'b', channel: { ...channel, join: () => answer.promise, leave: () => channel.leave() }, createSession });
    const starting = controller.start();
    void controller.start();
    controller.stop();
    answer.resolve(P2P_ACK);
    await starting;
    expect(createSession).not.toHaveBeenCalled();
    expect(controller.getSnapshot().phase).toEqual({ kind: 'off' });
    expect(channel.leaves).toBe(1); // the stop
    expect(loadMediaOn('c1')).toBe(false);
  });

  it('close (unmount) discards a start in flight and closes the running session', async () => {
    const { controller, sessions } = setup();
    await controller.start();
    controller.close();
    expect(sessions[0]!.closed).toBe(true);
    expect(controller.getSnapshot().snapshot).toBeNull();
    expect(loadMediaOn('c1')).toBe(true); // closing the screen does not forget that media was on
  });

  it('does nothing without a channel or before it knows who it is', async () => {
    const { controller, createSession } = setup({ context: { channel: null } });
    await controller.start();
    controller.connect({ selfId: null, channel: recordingChannel(P2P_ACK), createSession });
    await controller.start();
    expect(createSession).not.toHaveBeenCalled();
    expect(controller.getSnapshot().phase).toEqual({ kind: 'off' });
  });
});

describe('MediaController: failures', () => {
  it('a refused join leaves media (we may have been seated) and says why', async () => {
    const { controller, channel, createSession } = setup({ ack: { ok: false, error: { code: 'internal', message: 'Something broke.' } } });
    await controller.start();
    expect(controller.getSnapshot().phase).toEqual({ kind: 'error', message: 'Something broke.' });
    expect(channel.leaves).toBe(1);
    expect(createSession).not.toHaveBeenCalled();
    // Nothing remembered either way: the next visit tries again.
    expect(localStorage.getItem('spiral:media-on:c1')).toBeNull();
  });

  it('media_unavailable is shown as such and does not leave', async () => {
    const { controller, channel } = setup({ ack: { ok: false, error: { code: 'media_unavailable', message: 'Too many for peer-to-peer.' } } });
    await controller.start();
    expect(controller.getSnapshot().phase).toEqual({ kind: 'unavailable', message: 'Too many for peer-to-peer.' });
    expect(channel.leaves).toBe(0);
  });

  it('a session that cannot be built (camera refused) leaves and explains', async () => {
    const { controller, channel } = setup({
      context: {
        createSession: async () => {
          throw new DOMException('denied', 'NotAllowedError');
        },
      },
    });
    await controller.start();
    const phase = controller.getSnapshot().phase;
    expect(phase.kind).toBe('error');
    expect(phase.kind === 'error' && phase.message).toMatch(/not allowed to use your camera/);
    expect(channel.leaves).toBe(1);
  });

  it('a lost join (no answer) leaves as well', async () => {
    const { controller, channel } = setup();
    controller.connect({ selfId: 'b', channel: { ...channel, join: () => Promise.reject(new Error('timed out')), leave: () => channel.leave() } });
    await controller.start();
    expect(controller.getSnapshot().phase).toEqual({ kind: 'error', message: 'timed out' });
    expect(channel.leaves).toBe(1);
  });
});

describe('MediaController: reconnection epochs', () => {
  it('joining brings video up with no click; a P2P session starts again on a new epoch, once per epoch', async () => {
    vi.stubGlobal('RTCPeerConnection', class {});
    const { controller, channel, sessions } = setup();
    controller.reconnected(1);
    await vi.waitFor(() => expect(controller.getSnapshot().phase).toEqual({ kind: 'on' }));
    expect(channel.joins).toBe(1);
    controller.reconnected(2);
    await vi.waitFor(() => expect(sessions).toHaveLength(2));
    expect(sessions[0]!.closed).toBe(true);
    expect(channel.joins).toBe(2);
    controller.reconnected(2);
    await Promise.resolve();
    expect(channel.joins).toBe(2);
  });

  it('a reconnection while media is starting starts it again on the new connection', async () => {
    const lost = deferred<JoinAnswer>();
    const answers = [() => lost.promise, () => Promise.resolve(P2P_ACK)];
    const { controller, channel, sessions } = setup({ ack: () => answers.shift()!() });
    const starting = controller.start();
    expect(controller.getSnapshot().phase).toEqual({ kind: 'starting' });
    controller.reconnected(2);
    await vi.waitFor(() => expect(controller.getSnapshot().phase).toEqual({ kind: 'on' }));
    expect(channel.joins).toBe(2);
    // The answer to the first join, if it ever comes, is not used.
    lost.resolve(P2P_ACK);
    await starting;
    expect(sessions).toHaveLength(1);
    expect(controller.getSnapshot().phase).toEqual({ kind: 'on' });
  });

  it('a LiveKit session is left to reconnect by itself', async () => {
    const { controller, channel, sessions } = setup({ kind: 'livekit' });
    await controller.start();
    controller.reconnected(2);
    await Promise.resolve();
    expect(channel.joins).toBe(1);
    expect(sessions[0]!.closed).toBe(false);
  });

  it('after a reload (no session) media comes back if it was on here; suspend keeps that, stop forgets it', async () => {
    saveMediaOn('c1', true);
    const { controller, channel } = setup();
    controller.reconnected(1);
    await vi.waitFor(() => expect(controller.getSnapshot().phase).toEqual({ kind: 'on' }));
    controller.suspend();
    controller.reconnected(2);
    await vi.waitFor(() => expect(controller.getSnapshot().phase).toEqual({ kind: 'on' }));
    expect(channel.joins).toBe(2);
    controller.stop();
    controller.reconnected(3);
    await Promise.resolve();
    expect(channel.joins).toBe(2);
    expect(controller.getSnapshot().phase).toEqual({ kind: 'off' });
  });

  it('a screen closed and mounted again (React strict mode) rejoins for the same epoch', async () => {
    saveMediaOn('c1', true);
    const { controller, sessions } = setup();
    controller.reconnected(1);
    controller.close();
    controller.reconnected(1);
    await vi.waitFor(() => expect(controller.getSnapshot().phase).toEqual({ kind: 'on' }));
    expect(sessions.filter((s) => !s.closed)).toHaveLength(1);
  });

  it('without WebRTC in the page (no RTCPeerConnection) joining waits for "Turn on video"', async () => {
    const { controller, channel } = setup();
    controller.reconnected(1);
    await Promise.resolve();
    expect(channel.joins).toBe(0);
    expect(controller.getSnapshot().phase).toEqual({ kind: 'off' });
  });

  it('a member who left video in this circle is not brought back into it by joining again', async () => {
    vi.stubGlobal('RTCPeerConnection', class {});
    saveMediaOn('c1', false);
    const { controller, channel } = setup();
    controller.reconnected(1);
    await Promise.resolve();
    expect(channel.joins).toBe(0);
    expect(controller.getSnapshot().phase).toEqual({ kind: 'off' });
    expect(loadMediaOn('other-circle')).toBe(true); // only this circle
  });

  it('hands the circle to the session it builds and to every later state (who sends follows the piece)', async () => {
    const followed: CircleState[] = [];
    const built: (CircleState | null | undefined)[] = [];
    const createSession = vi.fn<CreateSession>(async (_ack, _channel, _self, _carried, circle) => {
      built.push(circle);
      const session = Object.assign(new RecordingSession(), { followCircle: (state: CircleState) => void followed.push(state) });
      return session;
    });
    const { controller } = setup({ context: { createSession } });
    controller.follow(held('a', 1));
    await controller.start();
    expect(built).toEqual([held('a', 1)]);
    controller.follow(held('b', 2));
    expect(followed.at(-1)?.piece.holderId).toBe('b');
  });

  it('epoch 0 (not connected yet) and an epoch without a channel start nothing', async () => {
    saveMediaOn('c1', true);
    const { controller, channel } = setup();
    controller.reconnected(0);
    controller.connect({ selfId: 'b', channel: null });
    controller.reconnected(1);
    await Promise.resolve();
    expect(channel.joins).toBe(0);
  });
});

describe('MediaController: the right to speak', () => {
  it('cues only on a change to allowed, never on the first state', async () => {
    const { controller, granted, sessions } = setup();
    controller.follow(held('b')); // first state: b already holds the piece
    expect(granted).not.toHaveBeenCalled();
    expect(controller.getSnapshot().unmutePrompt).toBe(false);
    await controller.start();
    expect(sessions[0]!.allowed).toEqual([true]);

    controller.follow(held('a', 2));
    expect(sessions[0]!.allowed.at(-1)).toBe(false);
    expect(sessions[0]!.audible.at(-1)).toEqual(['a']);
    controller.follow(held('b', 3));
    expect(granted).toHaveBeenCalledTimes(1);
    expect(controller.getSnapshot().unmutePrompt).toBe(true);
    expect(sessions[0]!.micCalls).toEqual([]); // never unmuted for you

    controller.follow(held('b', 4)); // another snapshot, same right: no cue, guards not applied again
    expect(granted).toHaveBeenCalledTimes(1);
    expect(sessions[0]!.allowed).toEqual([true, false, true]);

    controller.setMicOn(true);
    expect(controller.getSnapshot().unmutePrompt).toBe(false);
    expect(sessions[0]!.micCalls).toEqual([true]);
    controller.follow(held('b', 5));
    expect(controller.getSnapshot().unmutePrompt).toBe(false);
  });

  it('the cue and prompt work without media; losing the right clears the prompt', () => {
    const { controller, granted } = setup();
    controller.follow(held('a'));
    controller.follow(held('b', 2));
    expect(granted).toHaveBeenCalledTimes(1);
    expect(controller.getSnapshot().unmutePrompt).toBe(true);
    controller.follow(held('a', 3));
    expect(controller.getSnapshot().unmutePrompt).toBe(false);
  });

  it('with auto-unmute, unmutes by itself instead of prompting', async () => {
    const { controller, granted, sessions } = setup();
    controller.setAutoUnmute(true);
    expect(new MediaController('c2').getSnapshot().autoUnmute).toBe(true); // remembered
    controller.follow(held('a'));
    await controller.start();
    controller.follow(held('b', 2));
    expect(granted).toHaveBeenCalledTimes(1);
    expect(sessions[0]!.micCalls).toEqual([true]);
    expect(controller.getSnapshot().unmutePrompt).toBe(false);
  });
});

describe('MediaController: the view', () => {
  it('keeps its snapshot while nothing changes and tells subscribers when something does', async () => {
    const { controller, renders, sessions } = setup();
    const before = controller.getSnapshot();
    controller.suspend(); // already off
    expect(controller.getSnapshot()).toBe(before);
    expect(renders).not.toHaveBeenCalled();
    await controller.start();
    expect(renders).toHaveBeenCalled();
    const calls = renders.mock.calls.length;
    sessions[0]!.store.update({ cameraOn: false });
    expect(renders.mock.calls.length).toBe(calls + 1);
    expect(controller.getSnapshot().snapshot?.cameraOn).toBe(false);
  });

  it('a device action that fails shows a notice; the next success clears it', async () => {
    const { controller, sessions } = setup();
    await controller.start();
    sessions[0]!.deviceResult = () => Promise.reject(new DOMException('busy', 'NotReadableError'));
    controller.setCameraOn(true);
    await vi.waitFor(() => expect(controller.getSnapshot().notice).toMatch(/in use by another application/));
    sessions[0]!.deviceResult = () => Promise.resolve();
    controller.switchDevice('videoinput', 'cam-2');
    await vi.waitFor(() => expect(controller.getSnapshot().notice).toBeNull());
    expect(JSON.parse(localStorage.getItem('spiral:media-prefs')!)).toMatchObject({ videoDeviceId: 'cam-2' });
  });
});

describe('MediaController: moving between the main circle and groups', () => {
  /** Version v of the circle with b paired with a (and Fran visiting when `visit`). */
  const inPair = (version: number, visits: Record<string, string> = {}) => ({ ...withBreakouts(held(null), [{ memberIds: ['a', 'b'] }], { visits }), version });
  const inMain = (version: number) => held(null, version);

  it('joins again for the group, and again back in the main circle, keeping media on', async () => {
    const { controller, channel, sessions } = setup();
    controller.follow(inMain(1));
    await controller.start();
    expect(channel.joins).toBe(1);

    controller.follow(inPair(2));
    await vi.waitFor(() => expect(sessions).toHaveLength(2));
    await vi.waitFor(() => expect(controller.getSnapshot().phase).toEqual({ kind: 'on' }));
    expect(channel.joins).toBe(2);
    expect(sessions[0]!.closed).toBe(true);
    expect(sessions[1]!.closed).toBe(false);
    expect(channel.leaves).toBe(0); // a move is not a leave
    expect(loadMediaOn('c1')).toBe(true);

    controller.follow(inPair(3)); // the same place: nothing to do
    await Promise.resolve();
    expect(channel.joins).toBe(2);

    controller.follow(inMain(4));
    await vi.waitFor(() => expect(sessions).toHaveLength(3));
    expect(channel.joins).toBe(3);
    expect(sessions[1]!.closed).toBe(true);
  });

  it('arriving in a pair as its speaker with auto-unmute on, the microphone is on in the new place', async () => {
    const { controller, sessions } = setup();
    controller.setAutoUnmute(true);
    controller.follow(inMain(1));
    await controller.start();
    // b goes first in the pair: the right to speak arrives with the move.
    controller.follow({ ...withBreakouts(held(null), [{ memberIds: ['b', 'a'] }]), version: 2 });
    await vi.waitFor(() => expect(sessions).toHaveLength(2));
    await vi.waitFor(() => expect(sessions[1]!.snapshot().micOn).toBe(true));
    expect(controller.getSnapshot().unmutePrompt).toBe(false);
  });

  it('a microphone that was on stays on after a move where the member may still speak', async () => {
    const { controller, sessions } = setup();
    controller.follow(held('b', 1)); // b holds the piece in the main circle
    await controller.start();
    controller.setMicOn(true);
    await vi.waitFor(() => expect(sessions[0]!.snapshot().micOn).toBe(true));
    controller.follow({ ...withBreakouts(held('b'), [{ memberIds: ['b', 'a'] }]), version: 2 });
    await vi.waitFor(() => expect(sessions).toHaveLength(2));
    await vi.waitFor(() => expect(sessions[1]!.snapshot().micOn).toBe(true));
  });

  it('in the group, the guards follow the group: b hears a (the speaker) and may not speak', async () => {
    const { controller, sessions } = setup();
    controller.follow(inMain(1));
    await controller.start();
    controller.follow(inPair(2));
    await vi.waitFor(() => expect(sessions).toHaveLength(2));
    await vi.waitFor(() => expect(sessions[1]!.audible.at(-1)).toEqual(['a']));
    expect(sessions[1]!.allowed.at(-1)).toBe(false);
  });

  it('a P2P session hands its running camera and microphone to the next place', async () => {
    const stream = fakeStream();
    const carried: (CarriedMedia | undefined)[] = [];
    const sessions: RecordingSession[] = [];
    const { controller, channel } = setup();
    controller.connect({
      selfId: 'b',
      channel,
      createSession: async (_ack, _channel, _self, carry) => {
        carried.push(carry);
        const session = new HandingSession(stream);
        sessions.push(session);
        return session;
      },
    });
    controller.follow(inMain(1));
    await controller.start();
    controller.follow(inPair(2));
    await vi.waitFor(() => expect(sessions).toHaveLength(2));
    expect((sessions[0] as HandingSession).handedOver).toBe(true);
    expect(carried.map((c) => c?.localStream ?? null)).toEqual([null, stream]);
    expect(stream.stopped).toBe(false);
  });

  it('a stream handed over to a move that is then stopped is let go (the camera light goes off)', async () => {
    const stream = fakeStream();
    const answer = deferred<JoinAnswer>();
    let joins = 0;
    const { controller, channel } = setup();
    controller.connect({
      selfId: 'b',
      channel: { ...channel, join: () => (++joins === 1 ? Promise.resolve(P2P_ACK) : answer.promise), leave: () => channel.leave() },
      createSession: async () => new HandingSession(stream),
    });
    controller.follow(inMain(1));
    await controller.start();
    controller.follow(inPair(2));
    controller.stop();
    answer.resolve(P2P_ACK);
    await vi.waitFor(() => expect(stream.stopped).toBe(true));
    expect(controller.getSnapshot().phase).toEqual({ kind: 'off' });
  });

  it('a facilitator who visits a group joins its room, and the main circle again on leaving', async () => {
    const { controller, channel, sessions } = setup();
    controller.connect({ selfId: 'f', channel, createSession: async () => (sessions.push(new RecordingSession()), sessions.at(-1)!) });
    controller.follow(inPair(1));
    await controller.start();
    controller.follow(inPair(2, { f: 'b1g1' }));
    await vi.waitFor(() => expect(channel.joins).toBe(2));
    await vi.waitFor(() => expect(sessions).toHaveLength(2));
    // Visiting, Fran may speak in the pair, and hears its speaker.
    await vi.waitFor(() => expect(sessions[1]!.allowed.at(-1)).toBe(true));
    controller.follow(inPair(3));
    await vi.waitFor(() => expect(channel.joins).toBe(3));
  });

  it('a move while the join is on its way joins again once, for where the member is now', async () => {
    const first = deferred<JoinAnswer>();
    const answers = [() => first.promise, () => Promise.resolve(P2P_ACK)];
    const { controller, channel, sessions } = setup({ ack: () => answers.shift()!() });
    controller.follow(inMain(1));
    const starting = controller.start();
    controller.follow(inPair(2)); // the answer to come is for the main circle
    first.resolve(P2P_ACK);
    await starting;
    await vi.waitFor(() => expect(channel.joins).toBe(2));
    await vi.waitFor(() => expect(sessions).toHaveLength(2));
    expect(sessions[0]!.closed).toBe(true);
    await Promise.resolve();
    expect(channel.joins).toBe(2);
  });

  it('an answer for another place than the member is in (the server said so) joins again', async () => {
    const answered = (place: string) => ({ ...P2P_ACK, place }) as JoinAnswer;
    const answers = [answered('main'), answered('b1g1')];
    const { controller, channel, sessions } = setup({ ack: () => Promise.resolve(answers.shift()!) });
    controller.follow(inPair(1)); // b is in the pair, but the server's answer is for the main circle
    await controller.start();
    await vi.waitFor(() => expect(channel.joins).toBe(2));
    await vi.waitFor(() => expect(sessions).toHaveLength(2));
    controller.follow(inPair(2));
    await Promise.resolve();
    expect(channel.joins).toBe(2);
  });

  it('with media off, a move joins nothing', async () => {
    const { controller, channel } = setup();
    controller.follow(inMain(1));
    controller.follow(inPair(2));
    controller.follow(inMain(3));
    await Promise.resolve();
    expect(channel.joins).toBe(0);
    expect(controller.getSnapshot().phase).toEqual({ kind: 'off' });
  });

  it('a camera turned off stays off in the new place', async () => {
    const { controller, sessions } = setup();
    const cameraCalls: boolean[] = [];
    controller.follow(inMain(1));
    await controller.start();
    sessions[0]!.store.update({ cameraOn: false });
    controller.connect({
      selfId: 'b',
      channel: recordingChannel(P2P_ACK),
      createSession: async () => {
        const session = new RecordingSession();
        const asSession: MediaSession = session;
        asSession.setCameraOn = (on: boolean) => (cameraCalls.push(on), Promise.resolve());
        sessions.push(session);
        return session;
      },
    });
    controller.follow(inPair(2));
    await vi.waitFor(() => expect(sessions).toHaveLength(2));
    await vi.waitFor(() => expect(cameraCalls).toEqual([false]));
  });

  it('a member who received only and moves to a place where they send keeps their camera on there', async () => {
    const { controller, sessions } = setup();
    const cameraCalls: boolean[] = [];
    controller.follow(inMain(1));
    await controller.start();
    sessions[0]!.store.update({ cameraOn: false, receiveOnly: true });
    controller.connect({
      selfId: 'b',
      channel: recordingChannel(P2P_ACK),
      createSession: async () => {
        const session = new RecordingSession();
        const asSession: MediaSession = session;
        asSession.setCameraOn = (on: boolean) => (cameraCalls.push(on), Promise.resolve());
        sessions.push(session);
        return session;
      },
    });
    controller.follow(inPair(2));
    await vi.waitFor(() => expect(sessions).toHaveLength(2));
    await vi.waitFor(() => expect(controller.getSnapshot().phase).toEqual({ kind: 'on' }));
    expect(cameraCalls).toEqual([]);
    expect(sessions[1]!.snapshot().cameraOn).toBe(true);
  });
});
