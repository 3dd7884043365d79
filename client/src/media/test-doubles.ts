/** Stand-ins for the media layer's tests (never imported by the app). */
import type { CommandAck } from '@spiral/shared';
import type { MediaChannel } from './media-controller';
import { SnapshotStore, type MediaKind, type MediaSession, type MediaSnapshot } from './media-session';

/** A media session that records what the guards and the controls tell it. */
export class RecordingSession implements MediaSession {
  readonly store: SnapshotStore;
  audible: string[][] = [];
  allowed: boolean[] = [];
  micCalls: boolean[] = [];
  closed = false;
  resumed = 0;
  /** What `setCameraOn` / `switchDevice` do: succeed by default. */
  deviceResult: () => Promise<void> = () => Promise.resolve();

  constructor(readonly kind: MediaKind = 'p2p') {
    this.store = new SnapshotStore({ kind, status: 'connected', localStream: null, cameraOn: true, micOn: false, micAllowed: false, localSpeaking: false, remotes: {} });
  }
  snapshot(): MediaSnapshot {
    return this.store.get();
  }
  subscribe(l: (s: MediaSnapshot) => void) {
    return this.store.subscribe(l);
  }
  setMicrophoneAllowed(allowed: boolean) {
    this.allowed.push(allowed);
    if (this.store.get().micAllowed === allowed) return;
    this.store.update({ micAllowed: allowed, micOn: allowed ? this.store.get().micOn : false });
  }
  async setMicrophoneOn(on: boolean) {
    this.micCalls.push(on);
    if (on && !this.store.get().micAllowed) return false;
    this.store.update({ micOn: on });
    return true;
  }
  setCameraOn() {
    return this.deviceResult();
  }
  switchDevice() {
    return this.deviceResult();
  }
  setAudible(ids: ReadonlySet<string>) {
    this.audible.push([...ids].sort());
  }
  resumeAudio() {
    this.resumed += 1;
  }
  close() {
    this.closed = true;
  }
}

export type JoinAnswer = Awaited<ReturnType<MediaChannel['join']>>;

/** A circle channel that answers every media.join with `ack` (or with what `answer` returns) and counts joins and leaves. */
export function recordingChannel(ack: JoinAnswer | (() => Promise<JoinAnswer>)): MediaChannel & { joins: number; leaves: number } {
  return {
    joins: 0,
    leaves: 0,
    join() {
      this.joins += 1;
      return typeof ack === 'function' ? ack() : Promise.resolve(ack);
    },
    leave() {
      this.leaves += 1;
    },
    sendSignal() {},
    onSignal: () => () => {},
    onPeers: () => () => {},
  };
}

export const P2P_ACK: CommandAck = { ok: true, mode: 'p2p', iceServers: [], peers: ['f'] };

/** A promise with its resolve and reject at hand. */
export function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A stand-in for a running camera and microphone: records whether its tracks were stopped. */
export function fakeStream(): MediaStream & { stopped: boolean } {
  const stream = {
    stopped: false,
    getTracks: () => [{ stop: () => (stream.stopped = true) }],
    getAudioTracks: () => [],
    getVideoTracks: () => [],
  };
  return stream as unknown as MediaStream & { stopped: boolean };
}

/** A P2P-like session that hands its camera and microphone over on a move (`handOver`), instead of closing them. */
export class HandingSession extends RecordingSession {
  handedOver = false;
  constructor(readonly stream: MediaStream = fakeStream()) {
    super('p2p');
  }
  handOver(): MediaStream | null {
    this.handedOver = true;
    this.closed = true;
    return this.stream;
  }
}
