import { maySpeak, type CircleState, type Participant, type SpeakingRightChange } from '@spiral/shared';
import { AccessToken, RoomServiceClient, TrackSource } from 'livekit-server-sdk';
import pRetry, { AbortError } from 'p-retry';
import type { Logger } from '../logger.js';
import type { MediaGrant, MediaProvider } from './media-provider.js';

export interface LiveKitSettings {
  /** What browsers connect to (`ws://…` or `wss://…`). */
  url: string;
  apiKey: string;
  apiSecret: string;
  /** Token lifetime; LiveKit refreshes a connected participant's token itself. */
  tokenTtlSeconds?: number;
  /** Backoff for RoomService calls: first delay, attempts. */
  retry?: { minTimeoutMs: number; retries: number };
}

export const MEDIA_TOKEN_TTL_SECONDS = 10 * 60;

/** The LiveKit room beside a circle. */
export const mediaRoomName = (circleId: string) => `spiral-${circleId}`;

/** Track sources a member may publish: camera always, microphone while they may speak, screen for facilitators. */
export function publishSources(circle: CircleState, participant: Participant): TrackSource[] {
  const sources = [TrackSource.CAMERA];
  if (maySpeak(circle, participant)) sources.push(TrackSource.MICROPHONE);
  if (participant.role === 'facilitator') sources.push(TrackSource.SCREEN_SHARE, TrackSource.SCREEN_SHARE_AUDIO);
  return sources;
}

function httpUrl(url: string): string {
  return url.replace(/^ws(s?):\/\//, 'http$1://');
}

function isNotFound(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { status, code } = error as { status?: unknown; code?: unknown };
  return status === 404 || code === 'not_found';
}

/**
 * The only module that imports livekit-server-sdk. Grants follow the circle's rule of who may speak;
 * permission updates are idempotent, retried with backoff, and always send the latest wanted value,
 * so a late retry can never undo a newer change.
 */
export class LiveKitMediaProvider implements MediaProvider {
  readonly available = true;
  private readonly rooms: RoomServiceClient;
  /** The permissions we want LiveKit to hold, per room and identity. */
  private readonly wanted = new Map<string, { room: string; identity: string; sources: TrackSource[] }>();
  private readonly syncing = new Set<string>();
  private readonly dirty = new Set<string>();

  constructor(
    private readonly settings: LiveKitSettings,
    private readonly logger: Logger,
  ) {
    this.rooms = new RoomServiceClient(httpUrl(settings.url), settings.apiKey, settings.apiSecret, { failover: false });
  }

  async issueToken(circle: CircleState, participant: Participant): Promise<MediaGrant> {
    const token = new AccessToken(this.settings.apiKey, this.settings.apiSecret, {
      identity: participant.id,
      name: participant.name,
      ttl: this.settings.tokenTtlSeconds ?? MEDIA_TOKEN_TTL_SECONDS,
    });
    token.addGrant({
      room: mediaRoomName(circle.id),
      roomJoin: true,
      canSubscribe: true,
      canPublish: true,
      canPublishData: false,
      canPublishSources: publishSources(circle, participant),
    });
    return { url: this.settings.url, token: await token.toJwt() };
  }

  async applySpeakingRights(circle: CircleState, changes: SpeakingRightChange[]): Promise<void> {
    const room = mediaRoomName(circle.id);
    const syncs = changes.flatMap((change) => {
      const participant = circle.participants.find((p) => p.id === change.participantId);
      if (!participant) return [];
      const key = `${room}\u0000${participant.id}`;
      this.wanted.set(key, { room, identity: participant.id, sources: publishSources(circle, participant) });
      return [this.sync(key)];
    });
    await Promise.all(syncs);
  }

  async removeParticipant(circleId: string, participantId: string): Promise<void> {
    const room = mediaRoomName(circleId);
    this.wanted.delete(`${room}\u0000${participantId}`);
    await this.withRetry('RemoveParticipant', () => this.rooms.removeParticipant(room, participantId));
  }

  /** One update in flight per member; a change during it triggers one more with the newest value. */
  private async sync(key: string): Promise<void> {
    if (this.syncing.has(key)) {
      this.dirty.add(key);
      return;
    }
    this.syncing.add(key);
    try {
      do {
        this.dirty.delete(key);
        await this.withRetry('UpdateParticipant', async () => {
          const wanted = this.wanted.get(key);
          if (!wanted) return;
          await this.rooms.updateParticipant(wanted.room, wanted.identity, {
            // Permissions are replaced as a whole: state every one of them.
            permission: {
              canSubscribe: true,
              canPublish: true,
              canPublishData: false,
              canPublishSources: wanted.sources,
            },
          });
        });
      } while (this.dirty.has(key));
    } finally {
      this.syncing.delete(key);
    }
  }

  private async withRetry(what: string, call: () => Promise<unknown>): Promise<void> {
    const retry = this.settings.retry ?? { minTimeoutMs: 250, retries: 6 };
    try {
      await pRetry(
        async () => {
          try {
            await call();
          } catch (error) {
            // Not in the media room (yet): nothing to update; their next token carries the grant.
            if (isNotFound(error)) throw new AbortError('not in the media room');
            throw error;
          }
        },
        {
          retries: retry.retries,
          minTimeout: retry.minTimeoutMs,
          factor: 2,
          onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
            if (retriesLeft > 0) this.logger.warn({ what, attemptNumber, err: error.message }, 'LiveKit call failed; retrying');
          },
        },
      );
    } catch (error) {
      if (error instanceof Error && error.message === 'not in the media room') return;
      this.logger.error({ what, err: error instanceof Error ? error.message : String(error) }, 'LiveKit call failed for good');
    }
  }
}
