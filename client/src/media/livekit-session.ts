import {
  ConnectionState,
  type LocalTrackPublication,
  type Participant,
  type RemoteParticipant,
  type RemoteTrack,
  Room,
  RoomEvent,
  Track,
  VideoPresets,
} from 'livekit-client';
import { describeMediaError, type DevicePreferences, type MediaSession, type MediaSnapshot, SnapshotStore } from './media-session';

const GRANT_WAIT_MS = 5_000;

/** A LiveKit room: the server grants and revokes the microphone; this side follows at once. */
export class LiveKitSession implements MediaSession {
  readonly kind = 'livekit' as const;
  // adaptiveStream needs livekit's own attach() to know a video is on screen; our tiles show the
  // stream directly, so it stays off (dynacast still saves the senders' bandwidth). The camera is
  // captured at 720p and published with simulcast (180p and 360p layers beside it): the server
  // forwards each receiver the layer it asks for, so the P2P rule (`sending-quality.ts`) has no
  // work to do here.
  private readonly room = new Room({
    adaptiveStream: false,
    dynacast: true,
    videoCaptureDefaults: { resolution: VideoPresets.h720.resolution },
    publishDefaults: { simulcast: true, videoSimulcastLayers: [VideoPresets.h180, VideoPresets.h360] },
  });
  private readonly store: SnapshotStore;
  private readonly audioElements = new Map<string, HTMLMediaElement[]>();
  private readonly audioTracks = new Map<string, RemoteTrack[]>();
  private audible: ReadonlySet<string> = new Set();

  private constructor() {
    this.store = new SnapshotStore({
      kind: 'livekit',
      status: 'connecting',
      localStream: null,
      cameraOn: false,
      micOn: false,
      micAllowed: false,
      localSpeaking: false,
      remotes: {},
    });
  }

  /** `prefs.cameraOn: false` (the member's choice at the check): join with the camera off; they can turn it on. */
  static async connect(url: string, token: string, prefs: DevicePreferences & { cameraOn?: boolean }): Promise<LiveKitSession> {
    const session = new LiveKitSession();
    session.listen();
    try {
      await session.room.connect(url, token);
      const camera = prefs.cameraOn ?? true;
      if (camera) await session.room.localParticipant.setCameraEnabled(true, prefs.videoDeviceId ? { deviceId: prefs.videoDeviceId } : undefined);
      if (prefs.audioDeviceId) await session.room.switchActiveDevice('audioinput', prefs.audioDeviceId);
      session.store.update({ status: 'connected', cameraOn: camera, localStream: session.localVideoStream() });
    } catch (error) {
      session.store.update({ status: 'failed', message: describeMediaError(error) });
    }
    for (const participant of session.room.remoteParticipants.values()) session.trackRemote(participant);
    return session;
  }

  private listen(): void {
    const room = this.room;
    room
      .on(RoomEvent.ConnectionStateChanged, (state: ConnectionState) => {
        const status = state === ConnectionState.Connected ? 'connected' : state === ConnectionState.Reconnecting || state === ConnectionState.SignalReconnecting ? 'reconnecting' : state === ConnectionState.Disconnected ? 'closed' : 'connecting';
        this.store.update({ status });
      })
      .on(RoomEvent.ParticipantConnected, (p: RemoteParticipant) => this.trackRemote(p))
      .on(RoomEvent.ParticipantDisconnected, (p: RemoteParticipant) => {
        this.detachAudio(p.identity);
        this.audioTracks.delete(p.identity);
        this.store.removeRemote(p.identity);
      })
      .on(RoomEvent.TrackSubscribed, (track: RemoteTrack, _pub, p: RemoteParticipant) => {
        if (track.kind === Track.Kind.Audio) {
          this.audioTracks.set(p.identity, [...(this.audioTracks.get(p.identity) ?? []), track]);
          this.applyAudible(p.identity);
        } else if (track.kind === Track.Kind.Video && track.source === Track.Source.Camera) {
          this.store.updateRemote(p.identity, { stream: track.mediaStream ?? null, videoOn: !track.isMuted });
        }
      })
      .on(RoomEvent.TrackUnsubscribed, (track: RemoteTrack, _pub, p: RemoteParticipant) => {
        if (track.kind === Track.Kind.Audio) {
          track.detach();
          this.audioTracks.set(p.identity, (this.audioTracks.get(p.identity) ?? []).filter((t) => t !== track));
        } else if (track.source === Track.Source.Camera) {
          this.store.updateRemote(p.identity, { stream: null, videoOn: false });
        }
      })
      .on(RoomEvent.TrackMuted, (pub, p: Participant) => {
        if (pub.source === Track.Source.Camera && p !== room.localParticipant) this.store.updateRemote(p.identity, { videoOn: false });
      })
      .on(RoomEvent.TrackUnmuted, (pub, p: Participant) => {
        if (pub.source === Track.Source.Camera && p !== room.localParticipant) this.store.updateRemote(p.identity, { videoOn: true });
      })
      .on(RoomEvent.ActiveSpeakersChanged, (speakers: Participant[]) => {
        const ids = new Set(speakers.map((s) => s.identity));
        for (const id of Object.keys(this.store.get().remotes)) {
          const speaking = ids.has(id) && this.audible.has(id);
          if (this.store.get().remotes[id]?.speaking !== speaking) this.store.updateRemote(id, { speaking });
        }
        this.store.update({ localSpeaking: ids.has(room.localParticipant.identity) && this.store.get().micOn });
      })
      .on(RoomEvent.MediaDevicesError, (error: Error) => this.store.update({ message: describeMediaError(error) }));
  }

  private trackRemote(participant: RemoteParticipant): void {
    this.store.updateRemote(participant.identity, { audible: this.audible.has(participant.identity) });
  }

  private localVideoStream(): MediaStream | null {
    const pub = this.room.localParticipant.getTrackPublication(Track.Source.Camera);
    return pub?.track?.mediaStream ?? null;
  }

  snapshot(): MediaSnapshot {
    return this.store.get();
  }

  subscribe(listener: (snapshot: MediaSnapshot) => void): () => void {
    return this.store.subscribe(listener);
  }

  setMicrophoneAllowed(allowed: boolean): void {
    if (this.store.get().micAllowed === allowed) return;
    this.store.update({ micAllowed: allowed, micOn: false });
    if (!allowed) void this.silenceMicrophone();
  }

  /** Off and unpublished on our side at once; the server has already revoked the grant. */
  private async silenceMicrophone(): Promise<void> {
    const local = this.room.localParticipant;
    await local.setMicrophoneEnabled(false).catch(() => undefined);
    const pub: LocalTrackPublication | undefined = local.getTrackPublication(Track.Source.Microphone);
    if (pub?.track) await local.unpublishTrack(pub.track, true).catch(() => undefined);
  }

  /** The server's grant reaches LiveKit a moment after the circle's snapshot: wait for it. */
  private waitForMicrophoneGrant(timeoutMs: number): Promise<boolean> {
    const granted = () => {
      const sources = this.room.localParticipant.permissions?.canPublishSources;
      return sources === undefined || sources.length === 0 || sources.includes(Track.sourceToProto(Track.Source.Microphone));
    };
    if (granted()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (result: boolean) => {
        clearTimeout(timer);
        this.room.off(RoomEvent.ParticipantPermissionsChanged, check);
        resolve(result);
      };
      const check = () => {
        if (granted()) done(true);
      };
      const timer = setTimeout(() => done(granted()), timeoutMs);
      this.room.on(RoomEvent.ParticipantPermissionsChanged, check);
    });
  }

  async setMicrophoneOn(on: boolean): Promise<boolean> {
    if (on && !this.store.get().micAllowed) return false;
    try {
      if (on && !(await this.waitForMicrophoneGrant(GRANT_WAIT_MS))) throw new Error('The server has not yet let your microphone in; try again in a moment.');
      // The right may have gone while we waited: check again before and after publishing.
      if (on && !this.store.get().micAllowed) return false;
      await this.room.localParticipant.setMicrophoneEnabled(on);
      if (on && !this.store.get().micAllowed) {
        await this.silenceMicrophone();
        return false;
      }
      this.store.update({ micOn: on, message: undefined });
      return true;
    } catch (error) {
      this.store.update({ micOn: false, message: describeMediaError(error) });
      return false;
    }
  }

  /** After a reload the browser may hold audio back until a click: call from a user gesture. */
  resumeAudio(): void {
    if (!this.room.canPlaybackAudio) void this.room.startAudio().catch(() => undefined);
  }

  async setCameraOn(on: boolean): Promise<void> {
    await this.room.localParticipant.setCameraEnabled(on);
    this.store.update({ cameraOn: on, localStream: on ? this.localVideoStream() : null });
  }

  async switchDevice(kind: 'audioinput' | 'videoinput', deviceId: string): Promise<void> {
    await this.room.switchActiveDevice(kind, deviceId);
    if (kind === 'videoinput') this.store.update({ localStream: this.localVideoStream() });
  }

  /** The receiver-side guard: audio is attached (played) only for members who may speak now. */
  setAudible(participantIds: ReadonlySet<string>): void {
    const before = this.audible;
    this.audible = participantIds;
    const ids = new Set([...Object.keys(this.store.get().remotes), ...this.audioTracks.keys()]);
    for (const id of ids) {
      // Only who changed: a facilitator who stays audible is never interrupted.
      if (before.has(id) !== participantIds.has(id)) this.applyAudible(id);
    }
  }

  private applyAudible(participantId: string): void {
    const audible = this.audible.has(participantId);
    this.detachAudio(participantId);
    if (audible) {
      this.audioElements.set(participantId, (this.audioTracks.get(participantId) ?? []).map((track) => track.attach()));
    }
    this.store.updateRemote(participantId, { audible, ...(audible ? {} : { speaking: false }) });
  }

  private detachAudio(participantId: string): void {
    for (const track of this.audioTracks.get(participantId) ?? []) track.detach();
    for (const element of this.audioElements.get(participantId) ?? []) element.remove();
    this.audioElements.delete(participantId);
  }

  close(): void {
    for (const id of this.audioElements.keys()) this.detachAudio(id);
    void this.room.disconnect();
    this.store.update({ status: 'closed', remotes: {}, localStream: null });
  }
}
