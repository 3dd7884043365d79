import { useCallback, useEffect, useRef, useState } from 'react';
import type { CircleState, CommandAck } from '@spiral/shared';
import { loadMediaOn, loadMediaPreferences, saveMediaOn, saveMediaPreferences } from './media-preferences';
import {
  acquireLocalMedia,
  audibleMembers,
  bufferSignalling,
  describeMediaError,
  micAllowedFor,
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

export interface MediaControls {
  phase: MediaPhase;
  snapshot: MediaSnapshot | null;
  /** A problem with one action (a camera that would not switch…) while media keeps running. */
  notice: string | null;
  /** The piece just reached this member and they have not unmuted yet. */
  unmutePrompt: boolean;
  autoUnmute: boolean;
  start(): void;
  stop(): void;
  /** Close media without forgetting that it was on (removed, replaced, refused). */
  suspend(): void;
  /** Let audio play after the browser held it back (call from a click or key press). */
  resumeAudio(): void;
  setMicOn(on: boolean): void;
  setCameraOn(on: boolean): void;
  switchDevice(kind: 'audioinput' | 'videoinput', deviceId: string): void;
  setAutoUnmute(on: boolean): void;
}

export interface UseMediaOptions {
  circleId: string;
  selfId: string | null;
  state: CircleState | null;
  channel: MediaChannel | null;
  /** Changes whenever the circle connection is (re)established: P2P sessions must join again. */
  connectionEpoch: number;
  /** Called when the right to speak arrives (a gentle cue). */
  onSpeakingRightGranted?: () => void;
  /** For tests: build the session from a media.join ack. */
  createSession?: (ack: Extract<CommandAck, { ok: true; url?: string }>, channel: MediaChannel, selfId: string) => Promise<MediaSession>;
}

async function defaultCreateSession(ack: CommandAck, channel: MediaChannel, selfId: string): Promise<MediaSession> {
  const prefs = loadMediaPreferences();
  if ('mode' in ack && ack.mode === 'p2p') {
    const [{ P2pSession }, localStream] = await Promise.all([import('./p2p-session'), acquireLocalMedia(prefs)]);
    return new P2pSession({ selfId, iceServers: ack.iceServers, signalling: channel, localStream, peers: ack.peers, devices: prefs });
  }
  if ('token' in ack) {
    const { LiveKitSession } = await import('./livekit-session');
    return LiveKitSession.connect(ack.url, ack.token, prefs);
  }
  throw new Error('The server did not offer a media session.');
}

/** Video and audio for one member of a circle, kept in line with the talking piece. */
export function useMedia({ circleId, selfId, state, channel, connectionEpoch, onSpeakingRightGranted, createSession }: UseMediaOptions): MediaControls {
  const [phase, setPhase] = useState<MediaPhase>({ kind: 'off' });
  const [notice, setNotice] = useState<string | null>(null);
  const attemptRef = useRef(0);
  const [snapshot, setSnapshot] = useState<MediaSnapshot | null>(null);
  const [unmutePrompt, setUnmutePrompt] = useState(false);
  const [autoUnmute, setAutoUnmuteState] = useState(() => loadMediaPreferences().autoUnmute);
  const sessionRef = useRef<MediaSession | null>(null);
  const signallingRef = useRef<{ dispose(): void } | null>(null);
  const unsubscribeRef = useRef<(() => void) | null>(null);
  const startingRef = useRef(false);
  const stateRef = useRef(state);
  stateRef.current = state;
  const grantedRef = useRef(onSpeakingRightGranted);
  grantedRef.current = onSpeakingRightGranted;

  const closeSession = useCallback(() => {
    unsubscribeRef.current?.();
    unsubscribeRef.current = null;
    sessionRef.current?.close();
    sessionRef.current = null;
    signallingRef.current?.dispose();
    signallingRef.current = null;
    setSnapshot(null);
  }, []);

  const applyRules = useCallback((session: MediaSession) => {
    const current = stateRef.current;
    if (!current || !selfId) return;
    session.setMicrophoneAllowed(micAllowedFor(current, selfId));
    session.setAudible(audibleMembers(current, selfId));
  }, [selfId]);

  const start = useCallback(async () => {
    if (!channel || !selfId || startingRef.current) return;
    startingRef.current = true;
    const attempt = ++attemptRef.current;
    closeSession();
    setNotice(null);
    setPhase({ kind: 'starting' });
    const signalling = bufferSignalling(channel);
    signallingRef.current = signalling;
    try {
      const ack = await channel.join();
      if (attempt !== attemptRef.current) return;
      if (!ack.ok) {
        closeSession();
        const message = ack.error.message || 'Video is not available in this circle.';
        if (ack.error.code === 'media_unavailable') setPhase({ kind: 'unavailable', message });
        else {
          // We may have been seated before the answer went missing: give the seat back.
          channel.leave();
          setPhase({ kind: 'error', message });
        }
        return;
      }
      const session = await (createSession ?? defaultCreateSession)(ack as Extract<CommandAck, { ok: true; url?: string }>, { ...channel, ...signalling }, selfId);
      if (attempt !== attemptRef.current) {
        // Stopped (or removed) while starting: this session is not wanted any more.
        session.close();
        return;
      }
      sessionRef.current = session;
      unsubscribeRef.current = session.subscribe(setSnapshot);
      setSnapshot(session.snapshot());
      applyRules(session);
      saveMediaOn(circleId, true);
      setPhase({ kind: 'on' });
    } catch (error) {
      if (attempt !== attemptRef.current) return;
      closeSession();
      channel.leave();
      setPhase({ kind: 'error', message: describeMediaError(error) });
    } finally {
      startingRef.current = false;
    }
  }, [channel, selfId, circleId, closeSession, applyRules, createSession]);

  const suspend = useCallback(() => {
    attemptRef.current += 1;
    startingRef.current = false;
    closeSession();
    setPhase({ kind: 'off' });
  }, [closeSession]);

  const stop = useCallback(() => {
    suspend();
    channel?.leave();
    saveMediaOn(circleId, false);
  }, [channel, circleId, suspend]);

  // Back after a reload or a reconnection (a new epoch): rejoin media if it was on. A P2P session
  // lives on the connection, so it always starts again; a LiveKit room reconnects by itself.
  const startRef = useRef(start);
  startRef.current = start;
  const readyRef = useRef(false);
  readyRef.current = Boolean(channel && selfId);
  useEffect(() => {
    if (!readyRef.current || connectionEpoch === 0) return;
    if (sessionRef.current?.kind === 'p2p' || (sessionRef.current === null && loadMediaOn(circleId))) void startRef.current();
  }, [connectionEpoch, circleId]);

  useEffect(() => () => closeSession(), [closeSession]);

  // The two guards follow the circle: they change only when who may speak changes.
  const allowed = state && selfId ? micAllowedFor(state, selfId) : false;
  const audibleKey = state && selfId ? [...audibleMembers(state, selfId)].sort().join(' ') : '';
  // Starts unknown: the first snapshot sets it without a cue (a facilitator is not "given" the word on load).
  const previouslyAllowed = useRef<boolean | null>(state ? allowed : null);
  useEffect(() => {
    const session = sessionRef.current;
    if (session) applyRules(session);
    if (!state) return;
    if (allowed && previouslyAllowed.current === false) {
      grantedRef.current?.();
      if (session && autoUnmute) void session.setMicrophoneOn(true);
      else setUnmutePrompt(true);
    }
    if (!allowed) setUnmutePrompt(false);
    previouslyAllowed.current = allowed;
  }, [audibleKey, allowed, autoUnmute, applyRules, state === null]);

  const setMicOn = useCallback((on: boolean) => {
    const session = sessionRef.current;
    if (!session) return;
    setUnmutePrompt(false);
    void session.setMicrophoneOn(on);
  }, []);

  const setCameraOn = useCallback((on: boolean) => {
    void sessionRef.current?.setCameraOn(on).then(
      () => setNotice(null),
      (error: unknown) => setNotice(describeMediaError(error)),
    );
  }, []);

  const switchDevice = useCallback((kind: 'audioinput' | 'videoinput', deviceId: string) => {
    saveMediaPreferences(kind === 'audioinput' ? { audioDeviceId: deviceId } : { videoDeviceId: deviceId });
    void sessionRef.current?.switchDevice(kind, deviceId).then(
      () => setNotice(null),
      (error: unknown) => setNotice(describeMediaError(error)),
    );
  }, []);

  const resumeAudio = useCallback(() => sessionRef.current?.resumeAudio(), []);

  const setAutoUnmute = useCallback((on: boolean) => {
    saveMediaPreferences({ autoUnmute: on });
    setAutoUnmuteState(on);
  }, []);

  return {
    phase,
    snapshot,
    notice,
    unmutePrompt,
    autoUnmute,
    start: () => void start(),
    stop,
    suspend,
    resumeAudio,
    setMicOn,
    setCameraOn,
    switchDevice,
    setAutoUnmute,
  };
}
