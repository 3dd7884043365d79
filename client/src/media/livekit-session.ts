import {
  ConnectionState,
  type LocalTrackPublication,
  type Participant,
  type RemoteParticipant,
  type RemoteTrack,
  Room,
  RoomEvent,
  Track,
} from 'livekit-client';
import { describeMediaError, type DevicePreferences, type MediaSession, type MediaSnapshot, SnapshotStore } from './media-session';

/** A LiveKit room: the server grants and revokes the microphone; this side follows at once. */
export class LiveKitSession implements MediaSession {
  readonly kind = 'livekit' as const;
  private readonly room = new Room({ adaptiveStream: true, dynacast: true });
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

  static async connect(url: string, token: string, prefs: DevicePreferences): Promise<LiveKitSession> {
    const session = new LiveKitSession();
    session.listen();
    try {
      await session.room.connect(url, token);
      await session.room.localParticipant.setCameraEnabled(true, prefs.videoDeviceId ? { deviceId: prefs.videoDeviceId } : undefined);
      if (prefs.audioDeviceId) await session.room.switchActiveDevice('audioinput', prefs.audioDeviceId);
      session.store.update({ status: 'connected', cameraOn: true, localStream: session.localVideoStream() });
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
    if (!allowed) {
      // Unpublish on our side at once; the server has already revoked the grant.
      const pub: LocalTrackPublication | undefined = this.room.localParticipant.getTrackPublication(Track.Source.Microphone);
      if (pub?.track) void this.room.localParticipant.unpublishTrack(pub.track, true).catch(() => undefined);
    }
  }

  async setMicrophoneOn(on: boolean): Promise<boolean> {
    if (on && !this.store.get().micAllowed) return false;
    try {
      await this.room.localParticipant.setMicrophoneEnabled(on);
      this.store.update({ micOn: on });
      return true;
    } catch (error) {
      this.store.update({ micOn: false, message: describeMediaError(error) });
      return false;
    }
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
    this.audible = participantIds;
    const ids = new Set([...Object.keys(this.store.get().remotes), ...this.audioTracks.keys()]);
    for (const id of ids) this.applyAudible(id);
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
