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
    cameraEnabled: boolean[] = [];
    micTrack = new FakeTrack('audio', 'microphone');
    /** Resolves a pending microphone publish (when `holdPublish` is set). */
    releasePublish: (() => void) | null = null;
    holdPublish = false;
    localParticipant = {
      identity: 'me',
      permissions: undefined as { canPublishSources: number[] } | undefined,
      setCameraEnabled: async (on: boolean) => void this.cameraEnabled.push(on),
      setMicrophoneEnabled: async (on: boolean) => {
        if (on && this.holdPublish) await new Promise<void>((resolve) => (this.releasePublish = resolve));
        this.micEnabled.push(on);
      },
      getTrackPublication: (source: string) => (source === 'microphone' ? { track: this.micTrack } : undefined),
      unpublishTrack: async (track: unknown) => {
        this.unpublished.push(track);
      },
    };
    constructor(readonly options?: Record<string, unknown>) {
      state.rooms.push(this);
    }
    on(event: string, handler: Handler) {
      this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
      return this;
    }
    off(event: string, handler: Handler) {
      this.handlers.set(event, (this.handlers.get(event) ?? []).filter((h) => h !== handler));
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
    ParticipantPermissionsChanged: 'participantPermissionsChanged',
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
  Track: {
    Kind: { Audio: 'audio', Video: 'video' },
    Source: { Camera: 'camera', Microphone: 'microphone' },
    sourceToProto: (source: string) => ({ camera: 1, microphone: 2 })[source] ?? 0,
  },
  VideoPresets: {
    h180: { resolution: { width: 320, height: 180 } },
    h360: { resolution: { width: 640, height: 360 } },
    h720: { resolution: { width: 1280, height: 720 } },
  },
}));

const { LiveKitSession } = await import('./livekit-session');

beforeEach(() => {
  fake.state.rooms.length = 0;
});

describe('LiveKitSession video', () => {
  it('publishes the camera with simulcast layers beside 720p, so each receiver gets the size it shows', async () => {
    const session = await LiveKitSession.connect('ws://lk', 'token', {});
    const room = fake.state.rooms[0]!;
    expect(room.options).toMatchObject({ dynacast: true, publishDefaults: { simulcast: true }, videoCaptureDefaults: { resolution: { width: 1280, height: 720 } } });
    expect(room.cameraEnabled).toEqual([true]);
    expect(session.snapshot().cameraOn).toBe(true);
  });

  it('joins with the camera off when the member chose so at the check', async () => {
    const session = await LiveKitSession.connect('ws://lk', 'token', { cameraOn: false });
    expect(fake.state.rooms[0]!.cameraEnabled).toEqual([]);
    expect(session.snapshot()).toMatchObject({ status: 'connected', cameraOn: false });
  });
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

    session.setAudible(new Set(['ann', 'ben']));
    expect(annAudio.attached).toBe(1); // still audible: not interrupted
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
    await vi.waitFor(() => expect(room.unpublished).toEqual([room.micTrack]));
    expect(room.micEnabled.at(-1)).toBe(false);
  });

  it('a right taken away while the microphone is being published ends with it off', async () => {
    const session = await LiveKitSession.connect('ws://lk', 'token', {});
    const room = fake.state.rooms[0]!;
    session.setMicrophoneAllowed(true);
    room.holdPublish = true;
    const unmuting = session.setMicrophoneOn(true);
    await vi.waitFor(() => expect(room.releasePublish).not.toBeNull());
    session.setMicrophoneAllowed(false); // the piece moves on mid-publish
    room.releasePublish!();
    expect(await unmuting).toBe(false);
    expect(session.snapshot()).toMatchObject({ micOn: false, micAllowed: false });
    await vi.waitFor(() => expect(room.micEnabled.at(-1)).toBe(false));
  });

  it('waits for LiveKit to grant the microphone before publishing', async () => {
    const session = await LiveKitSession.connect('ws://lk', 'token', {});
    const room = fake.state.rooms[0]!;
    room.localParticipant.permissions = { canPublishSources: [1] }; // camera only, for now
    session.setMicrophoneAllowed(true);
    const unmuting = session.setMicrophoneOn(true);
    await Promise.resolve();
    expect(room.micEnabled).toEqual([]);
    room.localParticipant.permissions = { canPublishSources: [1, 2] };
    room.emit('participantPermissionsChanged');
    expect(await unmuting).toBe(true);
    expect(room.micEnabled).toEqual([true]);
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
