import { type CircleState, type IceServerConfig, MEDIA_NOTES, p2pSenders, type RelayedMediaSignal, sendingQuality, sendingRole } from '@spiral/shared';
import {
  acquireLocalMedia,
  type MediaSession,
  type MediaSignalling,
  type MediaSnapshot,
  SnapshotStore,
} from './media-session';
import { PeerLink } from './peer-link';

const SPEAKING_LEVEL = 0.02;
const LEVEL_POLL_MS = 300;

function newSessionId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export interface P2pSessionOptions {
  selfId: string;
  iceServers: IceServerConfig[];
  signalling: MediaSignalling;
  localStream: MediaStream;
  peers: string[];
  /** The member's chosen devices, for turning the camera back on. */
  devices?: { videoDeviceId?: string; audioDeviceId?: string };
  /**
   * How many members of the place send (the join's `sendersMax`); the others receive only, by
   * `p2pSenders` over the circle and the peer list. Without it (an older server) everyone sends.
   */
  sendersMax?: number;
  /** The circle when the session starts: who is featured and who sends follow it (`followCircle`). */
  circle?: CircleState | null;
  /** Whether this member is to send their camera when they may send (their pre-join choice). */
  cameraWanted?: boolean;
  /** Said beside the video controls from the start (no camera found, camera blocked…). */
  note?: string;
  /** The camera and microphone were not opened (the join's answer said receive-only): open them if this member may send after all. */
  heldBack?: boolean;
}

/** Whether `selfId` sends, by the shared rule, among `order` (the place's members in the order they joined). */
export function mayP2pSend(circle: CircleState | null, order: readonly string[], selfId: string, sendersMax: number | undefined): boolean {
  if (sendersMax === undefined) return true;
  return p2pSenders(circle, order, sendersMax).has(selfId);
}

/** A mesh of direct browser connections, for a small circle without a media server. */
export class P2pSession implements MediaSession {
  readonly kind = 'p2p' as const;
  private readonly store: SnapshotStore;
  private readonly links = new Map<string, PeerLink>();
  private readonly sessionId = newSessionId();
  private readonly unsubscribe: (() => void)[] = [];
  private audible: ReadonlySet<string> = new Set();
  private readonly poll: ReturnType<typeof setInterval>;
  private local: MediaStream;
  private closed = false;
  /** Camera and device changes run one at a time. */
  private deviceWork: Promise<void> = Promise.resolve();
  /** The place's members in the order they joined (the server's order), this member included. */
  private order: string[];
  private circle: CircleState | null;
  /** Whether this member sends now (false: receive only, beyond the place's senders). */
  private sending: boolean;
  /** The note about this member's own video, shown beside the controls. */
  private note: string | undefined;
  /** The member unmuted while their microphone was still opening (a seat among the senders just came free). */
  private micPending = false;

  constructor(private readonly options: P2pSessionOptions) {
    this.local = options.localStream;
    this.circle = options.circle ?? null;
    // The join's answer lists those who were there first: this member joined after them.
    this.order = [...options.peers.filter((id) => id !== options.selfId), options.selfId];
    this.sending = mayP2pSend(this.circle, this.order, options.selfId, options.sendersMax);
    this.note = this.sending && !options.heldBack ? options.note : MEDIA_NOTES.receiveOnly;
    if (!this.sending) this.dropLocal();
    this.store = new SnapshotStore({
      kind: 'p2p',
      status: 'connected',
      ...(this.note ? { message: this.note } : {}),
      localStream: this.local,
      cameraOn: this.local.getVideoTracks().length > 0,
      micOn: false,
      micAllowed: false,
      localSpeaking: false,
      remotes: {},
      receiveOnly: !this.sending || options.heldBack === true,
    });
    for (const track of this.local.getAudioTracks()) track.enabled = false;
    // The join's answer first, then any newer peer list (a replayed one is never older than it),
    // then signals that arrived while starting.
    this.setPeers(this.order);
    // The circle changed between the server's answer and now (the piece came to this member): send after all.
    if (this.sending && options.heldBack) this.deviceWork = this.startSending();
    this.unsubscribe.push(options.signalling.onPeers((peers) => this.setPeers(peers)));
    this.unsubscribe.push(options.signalling.onSignal((signal) => void this.linkFor(signal).receive(signal)));
    this.poll = setInterval(() => void this.pollLevels(), LEVEL_POLL_MS);
  }

  snapshot(): MediaSnapshot {
    return this.store.get();
  }

  subscribe(listener: (snapshot: MediaSnapshot) => void): () => void {
    return this.store.subscribe(listener);
  }

  private link(peerId: string): PeerLink {
    const existing = this.links.get(peerId);
    if (existing) return existing;
    const link = new PeerLink(
      peerId,
      this.options.selfId < peerId,
      this.options.iceServers,
      this.local,
      (signal) => this.options.signalling.sendSignal({ ...signal, to: peerId, session: this.sessionId }),
      (stream) => this.store.updateRemote(peerId, { stream }),
      (videoOn) => this.store.updateRemote(peerId, { videoOn }),
    );
    link.setAudible(this.audible.has(peerId));
    this.links.set(peerId, link);
    this.applyQuality();
    this.store.updateRemote(peerId, { audible: this.audible.has(peerId) });
    return link;
  }

  /** The link a signal belongs to: a signal from a new session of that member (they reloaded) replaces the old link. */
  private linkFor(signal: RelayedMediaSignal): PeerLink {
    const existing = this.links.get(signal.from);
    if (existing && signal.session && existing.remoteSession && existing.remoteSession !== signal.session) {
      existing.close();
      this.links.delete(signal.from);
    }
    const link = this.link(signal.from);
    if (signal.session && !link.remoteSession) link.remoteSession = signal.session;
    return link;
  }

  private setPeers(peers: string[]): void {
    if (this.closed) return;
    if (peers.includes(this.options.selfId)) this.order = [...peers];
    const wanted = new Set(peers.filter((id) => id !== this.options.selfId));
    for (const [peerId, link] of this.links) {
      if (!wanted.has(peerId)) {
        link.close();
        this.links.delete(peerId);
        this.store.removeRemote(peerId);
      }
    }
    for (const peerId of wanted) this.link(peerId);
    this.reconsider();
  }

  followCircle(state: CircleState): void {
    this.circle = state;
    this.reconsider();
  }

  /** Who sends and how well follows the circle and the peer list: start or stop sending, and set the quality. */
  private reconsider(): void {
    if (this.closed) return;
    const sending = mayP2pSend(this.circle, this.order, this.options.selfId, this.options.sendersMax);
    if (sending !== this.sending) {
      this.sending = sending;
      this.deviceWork = this.deviceWork.catch(() => undefined).then(() => (sending ? this.startSending() : this.stopSending()));
    }
    this.applyQuality();
  }

  /** Our video's quality to each peer: by our role (featured, listener, even) and how many receive it. */
  private applyQuality(): void {
    const role = this.circle ? sendingRole(this.circle, this.options.selfId) : 'even';
    const quality = sendingQuality(role, this.links.size);
    for (const link of this.links.values()) link.setSendingQuality(quality);
  }

  /** A seat among the senders came free (or the piece came to us): open the camera and microphone and send. */
  private async startSending(): Promise<void> {
    if (this.closed || !this.sending) return;
    let fresh: MediaStream;
    try {
      fresh = await acquireLocalMedia(this.options.devices ?? {}, { camera: this.options.cameraWanted ?? true });
    } catch {
      this.setNote(MEDIA_NOTES.blocked);
      return;
    }
    if (this.closed || !this.sending) {
      fresh.getTracks().forEach((t) => t.stop());
      return;
    }
    this.dropLocal();
    this.local = fresh;
    const audio = fresh.getAudioTracks()[0] ?? null;
    const video = fresh.getVideoTracks()[0] ?? null;
    // Unmuting is the member's own act: only if they did while the microphone was opening.
    const micOn = audio !== null && this.micPending && this.store.get().micAllowed;
    this.micPending = false;
    if (audio) audio.enabled = micOn;
    await Promise.all([...this.links.values()].map((l) => Promise.all([l.replaceAudio(audio), l.replaceVideo(video)])));
    this.store.update({ localStream: this.local, cameraOn: video !== null, micOn, receiveOnly: false });
    this.setNote(video ? MEDIA_NOTES.nowSending : audio ? MEDIA_NOTES.nowHeard : MEDIA_NOTES.noDevices);
  }

  /** Beyond the place's senders: send nothing, and let the camera and microphone go. */
  private async stopSending(): Promise<void> {
    if (this.closed || this.sending) return;
    this.dropLocal();
    await Promise.all([...this.links.values()].map((l) => Promise.all([l.replaceAudio(null), l.replaceVideo(null)])));
    this.store.update({ localStream: this.local, cameraOn: false, micOn: false, receiveOnly: true });
    this.setNote(MEDIA_NOTES.receiveOnly);
  }

  private dropLocal(): void {
    for (const track of this.local.getTracks()) track.stop();
    this.local = new MediaStream();
  }

  private setNote(note: string | undefined): void {
    this.note = note;
    this.store.update({ message: note });
  }

  setMicrophoneAllowed(allowed: boolean): void {
    const snapshot = this.store.get();
    if (snapshot.micAllowed === allowed) return;
    // Losing the right to speak turns the microphone off at once; gaining it leaves it off until
    // the member unmutes (nobody is ever unmuted remotely).
    this.micPending = false;
    for (const track of this.local.getAudioTracks()) track.enabled = false;
    this.store.update({ micAllowed: allowed, micOn: false });
  }

  async setMicrophoneOn(on: boolean): Promise<boolean> {
    const { micAllowed } = this.store.get();
    if (on && (!micAllowed || !this.sending)) return false;
    this.micPending = on && this.local.getAudioTracks().length === 0;
    for (const track of this.local.getAudioTracks()) track.enabled = on;
    this.store.update({ micOn: on && this.local.getAudioTracks().length > 0 });
    return true;
  }

  setCameraOn(on: boolean): Promise<void> {
    this.deviceWork = this.deviceWork.catch(() => undefined).then(() => this.applyCamera(on));
    return this.deviceWork;
  }

  private async applyCamera(on: boolean): Promise<void> {
    if (this.closed) return;
    if (on && !this.sending) {
      // Receiving only: the camera stays off until a seat among the senders is free.
      this.setNote(MEDIA_NOTES.receiveOnly);
      return;
    }
    for (const track of this.local.getVideoTracks()) track.stop();
    if (on) {
      const { videoDeviceId } = this.options.devices ?? {};
      const fresh = await navigator.mediaDevices.getUserMedia({ video: videoDeviceId ? { deviceId: { ideal: videoDeviceId } } : true });
      const video = fresh.getVideoTracks()[0] ?? null;
      if (this.closed) {
        fresh.getTracks().forEach((t) => t.stop());
        return;
      }
      this.replaceLocal('video', video);
      await Promise.all([...this.links.values()].map((l) => l.replaceVideo(video)));
    } else {
      this.replaceLocal('video', null);
      await Promise.all([...this.links.values()].map((l) => l.replaceVideo(null)));
    }
    this.store.update({ cameraOn: on && this.local.getVideoTracks().length > 0, localStream: this.local });
  }

  switchDevice(kind: 'audioinput' | 'videoinput', deviceId: string): Promise<void> {
    this.deviceWork = this.deviceWork.catch(() => undefined).then(() => this.applyDevice(kind, deviceId));
    return this.deviceWork;
  }

  private async applyDevice(kind: 'audioinput' | 'videoinput', deviceId: string): Promise<void> {
    if (this.closed) return;
    const fresh = await navigator.mediaDevices.getUserMedia(kind === 'audioinput' ? { audio: { deviceId: { exact: deviceId } } } : { video: { deviceId: { exact: deviceId } } });
    const track = (kind === 'audioinput' ? fresh.getAudioTracks() : fresh.getVideoTracks())[0];
    if (!track || this.closed) {
      fresh.getTracks().forEach((t) => t.stop());
      return;
    }
    if (kind === 'audioinput') {
      track.enabled = this.store.get().micOn && this.store.get().micAllowed;
      for (const old of this.local.getAudioTracks()) old.stop();
      this.replaceLocal('audio', track);
      await Promise.all([...this.links.values()].map((l) => l.replaceAudio(track)));
    } else {
      for (const old of this.local.getVideoTracks()) old.stop();
      this.replaceLocal('video', track);
      await Promise.all([...this.links.values()].map((l) => l.replaceVideo(track)));
      this.store.update({ cameraOn: true });
    }
    this.store.update({ localStream: this.local });
  }

  private replaceLocal(kind: 'audio' | 'video', track: MediaStreamTrack | null): void {
    const keep = kind === 'audio' ? this.local.getVideoTracks() : this.local.getAudioTracks();
    this.local = new MediaStream(track ? [...keep, track] : keep);
  }

  resumeAudio(): void {
    for (const link of this.links.values()) link.resumeAudio();
  }

  setAudible(participantIds: ReadonlySet<string>): void {
    this.audible = participantIds;
    for (const [peerId, link] of this.links) {
      link.setAudible(participantIds.has(peerId));
      this.store.updateRemote(peerId, { audible: participantIds.has(peerId), ...(participantIds.has(peerId) ? {} : { speaking: false }) });
    }
  }

  private async pollLevels(): Promise<void> {
    let localLevel = 0;
    for (const [peerId, link] of [...this.links]) {
      if (this.closed) return;
      if (link.pc.connectionState === 'closed') continue;
      const s = await link.stats();
      if (this.closed || this.links.get(peerId) !== link) continue;
      localLevel = Math.max(localLevel, s.localAudioLevel);
      const speaking = link.audible && s.audioLevel > SPEAKING_LEVEL;
      if (this.store.get().remotes[peerId]?.speaking !== speaking) this.store.updateRemote(peerId, { speaking });
    }
    const localSpeaking = this.store.get().micOn && localLevel > SPEAKING_LEVEL;
    if (localSpeaking !== this.store.get().localSpeaking) this.store.update({ localSpeaking });
  }

  close(): void {
    if (this.closed) return;
    this.shutDown();
    for (const track of this.local.getTracks()) track.stop();
  }

  /** Closed, every link with it; the camera and microphone stay on for the next place's session (microphone muted). */
  handOver(): MediaStream | null {
    if (this.closed) return null;
    this.shutDown();
    for (const track of this.local.getAudioTracks()) track.enabled = false;
    return this.local;
  }

  private shutDown(): void {
    this.closed = true;
    clearInterval(this.poll);
    for (const off of this.unsubscribe) off();
    for (const link of this.links.values()) link.close();
    this.links.clear();
    this.store.update({ status: 'closed', remotes: {}, localStream: null });
  }
}
