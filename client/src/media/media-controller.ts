import { audibleTo, maySpeakById, MEDIA_NOTES, type P2pSeating, placeKey, placeOf, type CircleState, type CommandAck } from '@spiral/shared';
import { loadMediaChoice, loadMediaPreferences, type MediaPreferences, saveMediaOn, saveMediaPreferences } from './media-preferences';
import {
  acquireLocalMedia,
  bufferSignalling,
  describeMediaError,
  type MediaSession,
  type MediaSignalling,
  type MediaSnapshot,
} from './media-session';

/** What the media layer needs from the circle connection. */
export interface MediaChannel extends MediaSignalling {
  /** `media.join`; resolves with the ack (or a local failure). */
  join(): Promise<CommandAck | { ok: false; error: { code: string; message: string } }>;
  /** `media.leave`. */
  leave(): void;
}

export type MediaPhase =
  | { kind: 'off' }
  | { kind: 'starting' }
  | { kind: 'on' }
  | { kind: 'unavailable'; message: string }
  | { kind: 'error'; message: string };

/** What the screen shows of media; a new object whenever any part of it changes. */
export interface MediaView {
  phase: MediaPhase;
  snapshot: MediaSnapshot | null;
  /** A problem with one action (a camera that would not switch…) while media keeps running. */
  notice: string | null;
  /** The piece just reached this member and they have not unmuted yet. */
  unmutePrompt: boolean;
  autoUnmute: boolean;
}

function samePhase(a: MediaPhase, b: MediaPhase): boolean {
  return a.kind === b.kind && ('message' in a ? a.message : null) === ('message' in b ? b.message : null);
}

export type JoinedAck = Extract<CommandAck, { ok: true; url?: string }>;
/** What a new session may take over from the one before it (a move between places). */
export interface CarriedMedia {
  /** The camera and microphone, still running: a P2P session uses them instead of asking again. */
  localStream: MediaStream | null;
}
export type CreateSession = (ack: JoinedAck, channel: MediaChannel, selfId: string, carried?: CarriedMedia, circle?: CircleState | null) => Promise<MediaSession>;

/** Who this member is and how to reach the circle, as of the latest render. */
export interface MediaContext {
  selfId: string | null;
  channel: MediaChannel | null;
  /** Called when the right to speak arrives (a gentle cue). */
  onSpeakingRightGranted?: () => void;
  /** Builds the session from a media.join ack (tests give a stand-in; by default P2P or LiveKit). */
  createSession?: CreateSession;
}

/**
 * This member's camera and microphone for a P2P session, and what to tell them about it: the
 * camera only if they chose it at the check; receive-only (nothing opened) when the place's
 * senders are full; when the browser refuses or finds nothing, they still see and hear everyone.
 */
async function localMediaFor(prefs: MediaPreferences, kept: MediaStream | null, receiveOnly: boolean): Promise<{ stream: MediaStream; note?: string }> {
  if (receiveOnly) {
    stopStream(kept);
    return { stream: new MediaStream(), note: MEDIA_NOTES.receiveOnly };
  }
  // A running camera and microphone carried from the last place; a receive-only member carries none.
  if (kept && kept.getTracks().length > 0) return { stream: kept };
  stopStream(kept);
  try {
    const stream = await acquireLocalMedia(prefs, { camera: prefs.cameraOn });
    const video = stream.getVideoTracks().length > 0;
    const audio = stream.getAudioTracks().length > 0;
    if (!video && !audio) return { stream, note: MEDIA_NOTES.noDevices };
    if (!video && prefs.cameraOn) return { stream, note: MEDIA_NOTES.noCamera };
    return { stream };
  } catch (error) {
    if (error instanceof DOMException && error.name === 'NotAllowedError') return { stream: new MediaStream(), note: MEDIA_NOTES.blocked };
    if (error instanceof DOMException && error.name === 'NotSupportedError') return { stream: new MediaStream(), note: MEDIA_NOTES.unsupported };
    throw error;
  }
}

export async function defaultCreateSession(ack: CommandAck, channel: MediaChannel, selfId: string, carried?: CarriedMedia, circle?: CircleState | null): Promise<MediaSession> {
  const prefs = loadMediaPreferences();
  const kept = carried?.localStream ?? null;
  if ('mode' in ack && ack.mode === 'p2p') {
    // The answer's extension (P2pSeating), when the server sends it.
    const seating: P2pSeating = { ...('sendersMax' in ack && typeof ack.sendersMax === 'number' ? { sendersMax: ack.sendersMax } : {}), ...('receiveOnly' in ack ? { receiveOnly: ack.receiveOnly === true } : {}) };
    const [{ P2pSession }, local] = await Promise.all([import('./p2p-session'), localMediaFor(prefs, kept, seating.receiveOnly === true)]);
    return new P2pSession({
      selfId,
      iceServers: ack.iceServers,
      signalling: channel,
      localStream: local.stream,
      peers: ack.peers,
      devices: prefs,
      ...(typeof seating.sendersMax === 'number' ? { sendersMax: seating.sendersMax } : {}),
      circle: circle ?? null,
      cameraWanted: prefs.cameraOn,
      ...(local.note ? { note: local.note } : {}),
      heldBack: seating.receiveOnly === true,
    });
  }
  // LiveKit opens its own camera and microphone tracks: whatever was carried over is let go.
  stopStream(kept);
  if ('token' in ack) {
    const { LiveKitSession } = await import('./livekit-session');
    return LiveKitSession.connect(ack.url, ack.token, prefs);
  }
  throw new Error('The server did not offer a media session.');
}

function stopStream(stream: MediaStream | null | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/** The key of the place (main circle or a group) where `selfId` is in `state`, or null when unknown. */
function placeIn(state: CircleState | null, selfId: string | null): string | null {
  return state && selfId ? placeKey(placeOf(state, selfId)) : null;
}

/**
 * Video and audio for one member of one circle, kept in line with the talking piece. Owns the
 * media session and everything around it; React reads it through `subscribe`/`getSnapshot`.
 *
 * - `start()` numbers its attempt: a start overtaken by `suspend`, `stop`, `close` or another start
 *   is discarded (and a session it built is closed).
 * - `follow(state)` applies the sender- and receiver-side guards whenever who may speak changes,
 *   and gives the cue when the right to speak arrives (a false → true change, never the first state).
 * - `reconnected(epoch)` brings video up on joining and rejoins after a new connection, unless the
 *   member left video in this circle (`loadMediaOn`): nobody has to find a button to be seen.
 * - Breakouts: every place (the main circle, each group) is its own media room, and `media.join`
 *   answers for the member's current place. When `follow` sees this member's place change (into a
 *   group, back, a facilitator visiting), media joins again for the new place: "media on" is kept,
 *   and a P2P session hands its running camera and microphone to the next one (`handOver`).
 */
export class MediaController {
  private view: MediaView;
  private readonly listeners = new Set<() => void>();
  private context: MediaContext = { selfId: null, channel: null };
  private circle: CircleState | null = null;
  private session: MediaSession | null = null;
  private signalling: { dispose(): void } | null = null;
  private unsubscribeSession: (() => void) | null = null;
  private attempt = 0;
  private starting = false;
  private epoch = 0;
  /** The guards last given to `session` (so an unchanged circle is not applied again). */
  private applied: { session: MediaSession; key: string } | null = null;
  /** Unknown until the first circle state: that one sets it without a cue. */
  private previouslyAllowed: boolean | null = null;
  /** The member wants their microphone on (they unmuted, or auto-unmute answered a grant): kept across a move. */
  private micWanted = false;
  /**
   * The place the running (or starting) session joined: this member's place when its `media.join`
   * went out (null: no circle state was known then; the first one known is taken as it).
   */
  private joinedPlace: string | null = null;

  constructor(private readonly circleId: string) {
    this.view = { phase: { kind: 'off' }, snapshot: null, notice: null, unmutePrompt: false, autoUnmute: loadMediaPreferences().autoUnmute };
  }

  // Arrow properties: stable identities for useSyncExternalStore and for callers' effect dependencies.

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  readonly getSnapshot = (): MediaView => this.view;

  /** The latest member id, channel, cue and session factory. */
  connect(context: MediaContext): void {
    this.context = context;
  }

  /** A new circle state: apply the guards and notice a newly granted right to speak. */
  follow(state: CircleState | null): void {
    this.circle = state;
    const { selfId } = this.context;
    if (!state || !selfId) return;
    const allowed = maySpeakById(state, selfId);
    const session = this.session;
    if (session) this.applyGuards(session);
    if (allowed && this.previouslyAllowed === false) {
      this.context.onSpeakingRightGranted?.();
      if (session && this.view.autoUnmute) {
        this.micWanted = true;
        void session.setMicrophoneOn(true);
      } else this.set({ unmutePrompt: true });
    }
    if (!allowed) {
      this.micWanted = false;
      this.set({ unmutePrompt: false });
    }
    this.previouslyAllowed = allowed;
    // A start in flight checks the place itself once its session is built.
    if (session && !this.starting) this.followPlace();
  }

  /** Media joined for another place than this member's own now: join again, for the place they are in. */
  private followPlace(): void {
    const place = placeIn(this.circle, this.context.selfId);
    if (place === null || this.session === null) return;
    if (this.joinedPlace === null) this.joinedPlace = place;
    if (place !== this.joinedPlace) void this.start({ carry: true });
  }

  /**
   * The circle connection was (re)established. Join media (video comes up with the circle, unless the
   * member left it here), or rejoin: a P2P session lives on the connection, so it always starts
   * again; a LiveKit room reconnects by itself.
   */
  reconnected(epoch: number): void {
    if (epoch === 0 || epoch === this.epoch) return;
    this.epoch = epoch;
    if (!this.context.channel || !this.context.selfId) return;
    if (this.starting) {
      // The join in flight went out on the connection that dropped: its answer will never come.
      this.suspend();
      void this.start();
      return;
    }
    if (this.session?.kind === 'p2p') void this.start({ carry: true });
    else if (this.session === null && this.videoWanted()) void this.start();
  }

  /**
   * Video comes up by itself when the member had it on here, or has not left it here and the browser
   * can carry video at all (a page without WebRTC, like a test's DOM, waits for "Turn on video").
   */
  private videoWanted(): boolean {
    const choice = loadMediaChoice(this.circleId);
    return choice === 'on' || (choice === null && typeof RTCPeerConnection === 'function');
  }

  /**
   * Join media for this member's current place. With `carry` (a move or a new connection), a running
   * session hands its camera and microphone to the next one instead of closing them.
   */
  readonly start = async (options: { carry?: boolean } = {}): Promise<void> => {
    const { channel, selfId } = this.context;
    if (!channel || !selfId || this.starting) return;
    this.starting = true;
    const attempt = ++this.attempt;
    const previous = this.session?.snapshot() ?? null;
    let carried: MediaStream | null = options.carry ? this.handOverSession() : (this.closeSession(), null);
    const letGo = () => {
      stopStream(carried);
      carried = null;
    };
    this.set({ notice: null, phase: { kind: 'starting' } });
    const place = placeIn(this.circle, selfId);
    this.joinedPlace = place;
    const signalling = bufferSignalling(channel);
    this.signalling = signalling;
    let handed: MediaStream | null = null;
    try {
      const ack = await channel.join();
      if (attempt !== this.attempt) return letGo();
      if (!ack.ok) {
        letGo();
        this.closeSession();
        const message = ack.error.message || 'Video is not available in this circle.';
        if (ack.error.code === 'media_unavailable') this.set({ phase: { kind: 'unavailable', message } });
        else {
          // We may have been seated before the answer went missing: give the seat back.
          channel.leave();
          this.set({ phase: { kind: 'error', message } });
        }
        return;
      }
      // The place the server answered for (an extension; without it, the place when the join went out).
      const answered = 'place' in ack && typeof ack.place === 'string' ? ack.place : place;
      handed = carried;
      carried = null; // the new session owns it now (and stops it when it closes)
      const session = await (this.context.createSession ?? defaultCreateSession)(ack as JoinedAck, { ...channel, ...signalling }, selfId, { localStream: handed }, this.circle);
      handed = null; // the session owns it now
      if (attempt !== this.attempt) {
        // Stopped (or removed) while starting: this session is not wanted any more.
        session.close();
        return;
      }
      this.session = session;
      this.joinedPlace = answered;
      this.unsubscribeSession = session.subscribe((snapshot) => this.set({ snapshot }));
      this.set({ snapshot: session.snapshot() });
      this.applyGuards(session);
      // Moving place hands over a muted microphone: unmute again if the member had it on and may speak here.
      if ((previous?.micOn || this.micWanted) && this.circle && maySpeakById(this.circle, selfId)) void session.setMicrophoneOn(true);
      saveMediaOn(this.circleId, true);
      // A camera turned off before a move stays off in the new place (receiving only is not turning it off).
      if (previous && !previous.receiveOnly && !previous.cameraOn && session.snapshot().cameraOn) this.report(session.setCameraOn(false));
      this.set({ phase: { kind: 'on' } });
      // The place changed while this join was on its way: join again, for where the member is now.
      if (answered !== null && placeIn(this.circle, selfId) !== answered) queueMicrotask(() => this.followPlace());
    } catch (error) {
      letGo();
      // A stream handed to a session that was never built belongs to nobody: stop the camera.
      stopStream(handed);
      if (attempt !== this.attempt) return;
      this.closeSession();
      channel.leave();
      this.set({ phase: { kind: 'error', message: describeMediaError(error) } });
    } finally {
      if (attempt === this.attempt) this.starting = false;
    }
  };

  /** Close media without forgetting that it was on (removed, replaced, refused). */
  readonly suspend = (): void => {
    this.attempt += 1;
    this.starting = false;
    this.closeSession();
    this.set({ phase: { kind: 'off' } });
  };

  /** Close media and forget that it was on in this circle. */
  readonly stop = (): void => {
    this.suspend();
    this.context.channel?.leave();
    saveMediaOn(this.circleId, false);
  };

  /** The screen is going away: close everything; a later mount starts from its epoch again. */
  readonly close = (): void => {
    this.suspend();
    this.epoch = 0;
  };

  /** Let audio play after the browser held it back (call from a click or key press). */
  readonly resumeAudio = (): void => {
    this.session?.resumeAudio();
  };

  readonly setMicOn = (on: boolean): void => {
    const session = this.session;
    if (!session) return;
    this.micWanted = on;
    this.set({ unmutePrompt: false });
    void session.setMicrophoneOn(on);
  };

  readonly setCameraOn = (on: boolean): void => {
    this.report(this.session?.setCameraOn(on));
  };

  readonly switchDevice = (kind: 'audioinput' | 'videoinput', deviceId: string): void => {
    saveMediaPreferences(kind === 'audioinput' ? { audioDeviceId: deviceId } : { videoDeviceId: deviceId });
    this.report(this.session?.switchDevice(kind, deviceId));
  };

  readonly setAutoUnmute = (on: boolean): void => {
    saveMediaPreferences({ autoUnmute: on });
    this.set({ autoUnmute: on });
  };

  /** A device action's outcome as the notice: cleared on success, the reason on failure. */
  private report(work: Promise<void> | undefined): void {
    void work?.then(
      () => this.set({ notice: null }),
      (error: unknown) => this.set({ notice: describeMediaError(error) }),
    );
  }

  /** The sender-side guard (may this member publish a microphone) and the receiver-side one (whom to play). */
  private applyGuards(session: MediaSession): void {
    const state = this.circle;
    const { selfId } = this.context;
    if (!state || !selfId) return;
    const allowed = maySpeakById(state, selfId);
    const audible = audibleTo(state, selfId);
    // Who sends, and how well, follows every state (the piece, who is here): the session compares itself.
    session.followCircle?.(state);
    const key = `${allowed}:${[...audible].sort().join(' ')}`;
    if (this.applied?.session === session && this.applied.key === key) return;
    this.applied = { session, key };
    session.setMicrophoneAllowed(allowed);
    session.setAudible(audible);
  }

  /** Close the session, keeping its camera and microphone running when it can hand them over. */
  private handOverSession(): MediaStream | null {
    const session = this.session;
    const stream = session?.handOver ? session.handOver() : null;
    this.closeSession();
    return stream;
  }

  private closeSession(): void {
    this.unsubscribeSession?.();
    this.unsubscribeSession = null;
    this.session?.close();
    this.session = null;
    this.joinedPlace = null;
    this.applied = null;
    this.signalling?.dispose();
    this.signalling = null;
    this.set({ snapshot: null });
  }

  private set(change: Partial<MediaView>): void {
    const keys = Object.keys(change) as (keyof MediaView)[];
    if (keys.every((key) => (key === 'phase' ? samePhase(this.view.phase, change.phase!) : this.view[key] === change[key]))) return;
    this.view = { ...this.view, ...change };
    for (const listener of this.listeners) listener();
  }
}
