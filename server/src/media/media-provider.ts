import type { CircleState, Participant, SpeakingRightChange } from '@spiral/shared';

export interface MediaGrant {
  url: string;
  token: string;
}

/**
 * The media room beside a circle. The server decides who may publish a microphone; the provider
 * applies it. Only the LiveKit adapter may import livekit-server-sdk.
 */
export interface MediaProvider {
  readonly available: boolean;
  /** A short-lived access token whose grants follow who may speak now. */
  issueToken(circle: CircleState, participant: Participant): Promise<MediaGrant>;
  /** Apply changed rights to speak; idempotent. */
  applySpeakingRights(circle: CircleState, changes: SpeakingRightChange[]): Promise<void>;
  /** A removed member leaves the media room too; idempotent. */
  removeParticipant(circleId: string, participantId: string): Promise<void>;
}

export class MediaUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MediaUnavailableError';
  }
}

/** No media server configured: the circle works, `media.join` answers `media_unavailable`. */
export class NoMediaProvider implements MediaProvider {
  readonly available = false;
  async issueToken(): Promise<MediaGrant> {
    throw new MediaUnavailableError(
      'Video is not set up on this server. An administrator can enable it by setting LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET.',
    );
  }
  async applySpeakingRights(): Promise<void> {}
  async removeParticipant(): Promise<void> {}
}
