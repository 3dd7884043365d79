import { beforeEach, describe, expect, it, vi } from 'vitest';

/** A stand-in for livekit-client's Room: records what the session asks of it and lets the test emit events. */
const fake = vi.hoisted(() => {
  type Handler = (...args: unknown[]) => void;
  class FakeTrack {
    attached = 0;
    detached = 0;
    constructor(
      readonly kind: string,
      readonly source: string,
    ) {}
    mediaStream = null;
    isMuted = false;
    attach() {
      this.attached += 1;
      const el = { remove: () => undefined };
      return el;
    }
    detach() {
      this.detached += 1;
      return [];
    }
  }
  const state = {
    rooms: [] as FakeRoom[],
    FakeTrack,
  };
  class FakeRoom {
    handlers = new Map<string, Handler[]>();
    remoteParticipants = new Map<string, unknown>();
    unpublished: unknown[] = [];
    micEnabled: boolean[] = [];
    micTrack = new FakeTrack('audio', 'microphone');
    localParticipant = {
      identity: 'me',
      setCameraEnabled: async () => undefined,
      setMicrophoneEnabled: async (on: boolean) => {
        this.micEnabled.push(on);
      },
      getTrackPublication: (source: string) => (source === 'microphone' ? { track: this.micTrack } : undefined),
      unpublishTrack: async (track: unknown) => {
        this.unpublished.push(track);
      },
    };
    constructor() {
      state.rooms.push(this);
    }
    on(event: string, handler: Handler) {
      this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
      return this;
    }
    emit(event: string, ...args: unknown[]) {
      for (const h of this.handlers.get(event) ?? []) h(...args);
    }
    async connect() {}
    async switchActiveDevice() {}
    async disconnect() {}
  }
  return { state, FakeRoom };
});

vi.mock('livekit-client', () => ({
  Room: fake.FakeRoom,
  RoomEvent: {
    ConnectionStateChanged: 'connectionStateChanged',
    ParticipantConnected: 'participantConnected',
    ParticipantDisconnected: 'participantDisconnected',
    TrackSubscribed: 'trackSubscribed',
    TrackUnsubscribed: 'trackUnsubscribed',
    TrackMuted: 'trackMuted',
    TrackUnmuted: 'trackUnmuted',
    ActiveSpeakersChanged: 'activeSpeakersChanged',
    MediaDevicesError: 'mediaDevicesError',
  },
  ConnectionState: { Connected: 'connected', Reconnecting: 'reconnecting', SignalReconnecting: 'signalReconnecting', Disconnected: 'disconnected' },
  Track: { Kind: { Audio: 'audio', Video: 'video' }, Source: { Camera: 'camera', Microphone: 'microphone' } },
}));

const { LiveKitSession } = await import('./livekit-session');

beforeEach(() => {
  fake.state.rooms.length = 0;
});

describe('LiveKitSession guards', () => {
  it('plays (attaches) audio only from members who may speak, and stops when they lose the right', async () => {
    const session = await LiveKitSession.connect('ws://lk', 'token', {});
    const room = fake.state.rooms[0]!;
    const annAudio = new fake.state.FakeTrack('audio', 'microphone');
    const benAudio = new fake.state.FakeTrack('audio', 'microphone');
    session.setAudible(new Set(['ann']));
    room.emit('trackSubscribed', annAudio, {}, { identity: 'ann' });
    room.emit('trackSubscribed', benAudio, {}, { identity: 'ben' });
    expect(annAudio.attached).toBe(1);
    expect(benAudio.attached).toBe(0);
    expect(session.snapshot().remotes.ann?.audible).toBe(true);
    expect(session.snapshot().remotes.ben?.audible).toBe(false);

    session.setAudible(new Set(['ben']));
    expect(annAudio.detached).toBeGreaterThan(0);
    expect(benAudio.attached).toBe(1);
    expect(session.snapshot().remotes.ann?.audible).toBe(false);
    expect(session.snapshot().remotes.ben?.audible).toBe(true);
  });

  it('refuses to unmute without the right to speak, and unpublishes the microphone at once when it is taken away', async () => {
    const session = await LiveKitSession.connect('ws://lk', 'token', {});
    const room = fake.state.rooms[0]!;
    expect(await session.setMicrophoneOn(true)).toBe(false);
    expect(room.micEnabled).toEqual([]);
    session.setMicrophoneAllowed(true);
    expect(await session.setMicrophoneOn(true)).toBe(true);
    expect(room.micEnabled).toEqual([true]);
    expect(session.snapshot().micOn).toBe(true);
    session.setMicrophoneAllowed(false);
    expect(session.snapshot()).toMatchObject({ micAllowed: false, micOn: false });
    await Promise.resolve();
    expect(room.unpublished).toEqual([room.micTrack]);
  });

  it('shows a speaking indicator only for members who are being played', async () => {
    const session = await LiveKitSession.connect('ws://lk', 'token', {});
    const room = fake.state.rooms[0]!;
    room.emit('participantConnected', { identity: 'ann' });
    room.emit('participantConnected', { identity: 'ben' });
    session.setAudible(new Set(['ann']));
    room.emit('activeSpeakersChanged', [{ identity: 'ann' }, { identity: 'ben' }]);
    expect(session.snapshot().remotes.ann?.speaking).toBe(true);
    expect(session.snapshot().remotes.ben?.speaking).toBe(false);
  });
});
