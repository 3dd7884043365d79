import type { CircleState, ErrorBody, LiveKitMediaAck, P2pMediaAck, Participant, SpeakingRightChange } from '@spiral/shared';

/**
 * The member's connection asking for media. A peer-to-peer session is tied to it: it enters a room of
 * connections, and everyone in that room hears who is in the session. A media server needs none of it.
 */
export interface MediaConnection {
  readonly id: string;
  /** Whether the connection is still open (a member may close it while their join is under way). */
  readonly open: boolean;
  join(room: string): Promise<void>;
  leave(room: string): Promise<void>;
  /** Tell every connection in `room` which members are in the session now (`media:peers`). */
  announce(room: string, peers: string[]): void;
}

/** What `media.join` answers: how to reach the circle's media session, or why there is none. */
export type MediaJoinAck = LiveKitMediaAck | P2pMediaAck | { ok: false; error: ErrorBody<'media_unavailable'> };

/**
 * The media session beside a circle: LiveKit when configured, else peer to peer. The server decides
 * who may publish a microphone; the provider applies it. Only the LiveKit adapter imports
 * livekit-server-sdk.
 */
export interface MediaProvider {
  /** Let a member (already known to be one) into the circle's media session from `connection`. */
  join(circle: CircleState, participant: Participant, connection: MediaConnection): Promise<MediaJoinAck>;
  /** `connection` leaves the media session (`media.leave`, or it closed); idempotent. */
  leave(circleId: string, participantId: string, connection: MediaConnection): void;
  /** Apply changed rights to speak; idempotent. */
  applySpeakingRights(circle: CircleState, changes: SpeakingRightChange[]): Promise<void>;
  /** A removed member leaves the media session too; idempotent. */
  removeParticipant(circleId: string, participantId: string): Promise<void>;
  /**
   * The circle changed while breakouts were (or are now) open: members whose place is no longer the
   * one they joined media in are taken out of their old place's session (they join again for the new
   * place, as clients do when their place changes). Synchronous and idempotent.
   */
  followPlaces(circle: CircleState): void;
}
