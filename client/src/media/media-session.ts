import { CAPTURE_SIZE, type CircleState, MEDIA_NOTES, type MediaSignal, type RelayedMediaSignal } from '@spiral/shared';

export type MediaKind = 'livekit' | 'p2p';
export type MediaStatus = 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'closed';

export interface RemoteMedia {
  participantId: string;
  /** Video (and, for P2P, audio) as received; null until something arrives. */
  stream: MediaStream | null;
  videoOn: boolean;
  /** Their audio is being played here now (the receiver-side guard). */
  audible: boolean;
  speaking: boolean;
}

export interface MediaSnapshot {
  kind: MediaKind;
  status: MediaStatus;
  message?: string;
  localStream: MediaStream | null;
  cameraOn: boolean;
  micOn: boolean;
  /** Whether the circle lets this member speak now (the sender-side guard). */
  micAllowed: boolean;
  localSpeaking: boolean;
  remotes: Readonly<Record<string, RemoteMedia>>;
  /** P2P beyond the place's senders: this member sees and hears everyone and sends nothing. */
  receiveOnly?: boolean;
}

/**
 * One member's media in a circle, whatever carries it (a LiveKit room or a peer-to-peer mesh). The
 * ring, the microphone button and the talking-piece rules use only this.
 */
export interface MediaSession {
  readonly kind: MediaKind;
  snapshot(): MediaSnapshot;
  subscribe(listener: (snapshot: MediaSnapshot) => void): () => void;
  /** The sender-side guard: without the right to speak the microphone is off and cannot be turned on. */
  setMicrophoneAllowed(allowed: boolean): void;
  /** The member's own mute switch; returns false when not allowed to speak. */
  setMicrophoneOn(on: boolean): Promise<boolean>;
  setCameraOn(on: boolean): Promise<void>;
  switchDevice(kind: 'audioinput' | 'videoinput', deviceId: string): Promise<void>;
  /** The receiver-side guard: play audio only from these members. */
  setAudible(participantIds: ReadonlySet<string>): void;
  /** Let audio play after the browser held it back (from a user gesture). */
  resumeAudio(): void;
  /**
   * The circle as it is now (who holds the piece, who is here): a P2P session decides from it who
   * sends and at which quality (`sending-quality.ts` in shared). Optional: LiveKit's server and
   * simulcast do that job for a LiveKit room.
   */
  followCircle?(state: CircleState): void;
  close(): void;
  /**
   * Close the session but hand over the camera and microphone, still running, for the next session
   * (moving between the main circle and a group). Optional: a session that cannot hand its devices
   * over (LiveKit publishes its own tracks) is simply closed, and the next one opens them again.
   */
  handOver?(): MediaStream | null;
}

/** The circle socket's media half, as the peer-to-peer session needs it. */
export interface MediaSignalling {
  sendSignal(signal: MediaSignal): void;
  onSignal(handler: (signal: RelayedMediaSignal) => void): () => void;
  onPeers(handler: (peers: string[]) => void): () => void;
}

export interface DevicePreferences {
  audioDeviceId?: string;
  videoDeviceId?: string;
}

/** Snapshot bookkeeping shared by both implementations. */
export class SnapshotStore {
  private current: MediaSnapshot;
  private readonly listeners = new Set<(snapshot: MediaSnapshot) => void>();

  constructor(initial: MediaSnapshot) {
    this.current = initial;
  }

  get(): MediaSnapshot {
    return this.current;
  }

  update(change: Partial<MediaSnapshot>): void {
    this.current = { ...this.current, ...change };
    for (const listener of this.listeners) listener(this.current);
  }

  updateRemote(participantId: string, change: Partial<RemoteMedia>): void {
    const previous = this.current.remotes[participantId] ?? {
      participantId,
      stream: null,
      videoOn: false,
      audible: false,
      speaking: false,
    };
    this.update({ remotes: { ...this.current.remotes, [participantId]: { ...previous, ...change } } });
  }

  removeRemote(participantId: string): void {
    if (!(participantId in this.current.remotes)) return;
    const remotes = { ...this.current.remotes };
    delete remotes[participantId];
    this.update({ remotes });
  }

  subscribe(listener: (snapshot: MediaSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Large enough for the featured member (the holder) to be sent sharp; listeners are scaled down when sent. */
const VIDEO_SIZE = { width: { ideal: CAPTURE_SIZE.width }, height: { ideal: CAPTURE_SIZE.height }, frameRate: { ideal: CAPTURE_SIZE.frameRate } };

function isDeviceGone(error: unknown): boolean {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  return name === 'OverconstrainedError' || name === 'NotFoundError';
}

/**
 * Camera and microphone, at a size that suits a ring of small tiles. A remembered device that is
 * gone falls back to the default; without a camera (or a microphone) the member still takes part
 * with what they have — at worst, receiving only.
 */
export async function acquireLocalMedia(prefs: DevicePreferences, options: { camera?: boolean } = {}): Promise<MediaStream> {
  // Browsers offer cameras only to secure pages (https, or this computer): elsewhere there is no API at all.
  if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia) throw new DOMException(MEDIA_NOTES.unsupported, 'NotSupportedError');
  const camera = options.camera ?? true;
  const audio: MediaTrackConstraints | boolean = prefs.audioDeviceId ? { deviceId: { exact: prefs.audioDeviceId } } : true;
  const video: MediaTrackConstraints | false = camera ? { ...(prefs.videoDeviceId ? { deviceId: { exact: prefs.videoDeviceId } } : {}), ...VIDEO_SIZE } : false;
  try {
    return await navigator.mediaDevices.getUserMedia({ audio, video });
  } catch (error) {
    if (isDeviceGone(error) && (prefs.audioDeviceId || prefs.videoDeviceId)) return acquireLocalMedia({}, options);
    if (error instanceof DOMException && error.name === 'NotAllowedError') throw error;
  }
  for (const constraints of video ? [{ audio }, { video }] : []) {
    try {
      return await navigator.mediaDevices.getUserMedia(constraints);
    } catch {
      // try the next way
    }
  }
  return new MediaStream();
}

/** The cameras and microphones there are (none where the browser offers no camera API). */
export async function listDevices(): Promise<MediaDeviceInfo[]> {
  if (typeof navigator === 'undefined' || !navigator.mediaDevices?.enumerateDevices) return [];
  return navigator.mediaDevices.enumerateDevices().catch(() => []);
}

/** A human sentence for a getUserMedia or connection failure. */
export function describeMediaError(error: unknown): string {
  const name = error instanceof DOMException ? error.name : error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError') return 'The browser was not allowed to use your camera and microphone. Check the site permissions and try again.';
  if (name === 'NotFoundError') return 'No camera or microphone was found.';
  if (name === 'NotReadableError') return 'Your camera or microphone is in use by another application.';
  if (name === 'NotSupportedError') return MEDIA_NOTES.unsupported;
  return error instanceof Error && error.message ? error.message : 'Video could not start.';
}

/**
 * Signalling that listens from the moment media is requested: offers and peer lists that arrive
 * while the session is still starting (loading code, opening the camera) are kept and replayed.
 */
export function bufferSignalling(source: MediaSignalling): MediaSignalling & { dispose(): void } {
  const pendingSignals: RelayedMediaSignal[] = [];
  let latestPeers: string[] | null = null;
  let signalHandler: ((signal: RelayedMediaSignal) => void) | null = null;
  let peersHandler: ((peers: string[]) => void) | null = null;
  const offSignal = source.onSignal((signal) => (signalHandler ? signalHandler(signal) : pendingSignals.push(signal)));
  const offPeers = source.onPeers((peers) => {
    latestPeers = peers;
    peersHandler?.(peers);
  });
  return {
    sendSignal: (signal) => source.sendSignal(signal),
    onSignal(handler) {
      signalHandler = handler;
      for (const signal of pendingSignals.splice(0)) handler(signal);
      return () => {
        signalHandler = null;
      };
    },
    onPeers(handler) {
      peersHandler = handler;
      if (latestPeers) handler(latestPeers);
      return () => {
        peersHandler = null;
      };
    },
    dispose() {
      offSignal();
      offPeers();
    },
  };
}
