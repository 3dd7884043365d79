import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { CircleState } from '@spiral/shared';
import { MediaController, type CreateSession, type MediaChannel, type MediaPhase, type MediaView } from './media-controller';

export type { MediaChannel, MediaPhase } from './media-controller';

export interface MediaControls extends MediaView {
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
  createSession?: CreateSession;
}

/** Video and audio for one member of a circle, kept in line with the talking piece (a `MediaController`). */
export function useMedia({ circleId, selfId, state, channel, connectionEpoch, onSpeakingRightGranted, createSession }: UseMediaOptions): MediaControls {
  const controller = useMemo(() => new MediaController(circleId), [circleId]);
  const view = useSyncExternalStore(controller.subscribe, controller.getSnapshot);

  // In order: who we are, then a new connection, then the circle's rules.
  useEffect(() => controller.connect({ selfId, channel, onSpeakingRightGranted, createSession }));
  useEffect(() => controller.reconnected(connectionEpoch), [controller, connectionEpoch]);
  useEffect(() => controller.follow(state), [controller, state, selfId]);
  useEffect(() => controller.close, [controller]);

  return useMemo(
    () => ({
      ...view,
      start: () => void controller.start(),
      stop: controller.stop,
      suspend: controller.suspend,
      resumeAudio: controller.resumeAudio,
      setMicOn: controller.setMicOn,
      setCameraOn: controller.setCameraOn,
      switchDevice: controller.switchDevice,
      setAutoUnmute: controller.setAutoUnmute,
    }),
    [view, controller],
  );
}
