import { maySpeak, placeKey, placeOf, TRANSPORT_REFUSALS, type CircleState, type Participant, type SpeakingRightChange } from '@spiral/shared';
import { AccessToken, RoomServiceClient, TrackSource } from 'livekit-server-sdk';
import pRetry, { AbortError } from 'p-retry';
import { refused } from '../acks.js';
import type { Logger } from '../logger.js';
import type { MediaJoinAck, MediaProvider } from './media-provider.js';

export interface MediaGrant {
  url: string;
  token: string;
  /** The place key (`main`, or a group's id) whose room the token is for. */
  place: string;
}

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

/**
 * Short: a token kept from a moment when its holder could speak must not outlive that moment by much
 * (LiveKit refreshes the token of a connected participant itself, with current permissions).
 */
export const MEDIA_TOKEN_TTL_SECONDS = 2 * 60;

/** The place key of the main circle. */
const MAIN_PLACE = placeKey({ kind: 'main' });

/**
 * The LiveKit room of a place in a circle: `spiral-<circleId>` for the main circle, and
 * `spiral-<circleId>-<groupId>` for a breakout group (each group is its own room).
 */
export const mediaRoomName = (circleId: string, place: string = MAIN_PLACE) =>
  place === MAIN_PLACE ? `spiral-${circleId}` : `spiral-${circleId}-${place}`;

/** The room of the place a member is in now (their group, the group they visit, or the main circle). */
export function mediaRoomOf(circle: CircleState, participantId: string): { place: string; room: string } {
  const place = placeKey(placeOf(circle, participantId));
  return { place, room: mediaRoomName(circle.id, place) };
}

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
  private readonly rooms: RoomServiceClient;
  /**
   * The permissions we want LiveKit to hold, per member (circle and identity), with the room of the
   * member's place when they were wanted: a member who moves to another place has one wish, for the
   * room they are in now, never a stale one for their old room competing with it.
   */
  private readonly wanted = new Map<string, { room: string; identity: string; sources: TrackSource[] }>();
  private readonly syncing = new Set<string>();
  /** Each member's latest token: its room, and when it expires (until then they may be entering that room). */
  private readonly tokens = new Map<string, { room: string; until: number }>();

  /** Tokens long expired tell nothing any more: the map stays as small as the members with media now. */
  private forgetExpiredTokens(): void {
    const now = Date.now();
    for (const [key, token] of this.tokens) if (token.until < now) this.tokens.delete(key);
  }
  private readonly dirty = new Set<string>();

  constructor(
    private readonly settings: LiveKitSettings,
    private readonly logger: Logger,
  ) {
    this.rooms = new RoomServiceClient(httpUrl(settings.url), settings.apiKey, settings.apiSecret, { failover: false });
  }

  /** A token for the LiveKit room of the member's place; a failure to make one is `media_unavailable`. */
  async join(circle: CircleState, participant: Participant): Promise<MediaJoinAck> {
    try {
      const grant = await this.issueToken(circle, participant);
      return { ok: true, mode: 'livekit', url: grant.url, token: grant.token, place: grant.place };
    } catch (error) {
      this.logger.error({ err: error, circleId: circle.id }, 'media token failed');
      return refused(TRANSPORT_REFUSALS.mediaUnavailable);
    }
  }

  /** Nothing to do: LiveKit sees a member leave its room, and their token expires soon. */
  leave(): void {}

  /**
   * A member whose place changed is taken out of the room they were given (their token stays valid, so
   * they can join the new place's room at once): no one keeps the grants of a place they have left,
   * even a client that never moves by itself.
   */
  followPlaces(circle: CircleState): void {
    for (const participant of circle.participants) {
      const key = this.key(circle.id, participant.id);
      const token = this.tokens.get(key);
      if (!token || token.room === mediaRoomOf(circle, participant.id).room) continue;
      this.tokens.delete(key);
      const left = token.room;
      void this.withRetry('RemoveParticipant', async () => {
        await this.rooms.removeParticipant(left, participant.id);
      }, () => false).catch((error: unknown) => {
        this.logger.warn({ err: error, circleId: circle.id }, 'could not take a moved member out of their old room');
      });
    }
  }

  /** A short-lived access token for the room of the member's place, whose grants follow who may speak now. */
  async issueToken(circle: CircleState, participant: Participant): Promise<MediaGrant> {
    const { place, room } = mediaRoomOf(circle, participant.id);
    const token = new AccessToken(this.settings.apiKey, this.settings.apiSecret, {
      identity: participant.id,
      name: participant.name,
      ttl: this.settings.tokenTtlSeconds ?? MEDIA_TOKEN_TTL_SECONDS,
    });
    token.addGrant({
      room,
      roomJoin: true,
      canSubscribe: true,
      canPublish: true,
      canPublishData: false,
      canPublishSources: publishSources(circle, participant),
    });
    const ttl = this.settings.tokenTtlSeconds ?? MEDIA_TOKEN_TTL_SECONDS;
    this.forgetExpiredTokens();
    this.tokens.set(this.key(circle.id, participant.id), { room, until: Date.now() + ttl * 1000 });
    return { url: this.settings.url, token: await token.toJwt(), place };
  }

  /** Each changed member is updated in the room of their place now (the client joins it on a move). */
  async applySpeakingRights(circle: CircleState, changes: SpeakingRightChange[]): Promise<void> {
    const syncs = changes.flatMap((change) => {
      const participant = circle.participants.find((p) => p.id === change.participantId);
      if (!participant) return [];
      const key = this.key(circle.id, participant.id);
      const { room } = mediaRoomOf(circle, participant.id);
      this.wanted.set(key, { room, identity: participant.id, sources: publishSources(circle, participant) });
      return [this.sync(key)];
    });
    await Promise.all(syncs);
  }

  /** Out of the room they are in now: the room of their latest token (the main circle's if none). */
  async removeParticipant(circleId: string, participantId: string): Promise<void> {
    const key = this.key(circleId, participantId);
    const room = this.tokens.get(key)?.room ?? mediaRoomName(circleId);
    this.wanted.delete(key);
    this.tokens.delete(key);
    // Also revoke every token issued to them so far: a removed member cannot come back in.
    const revokeTokenTs = BigInt(Math.floor(Date.now() / 1000) + 1);
    await this.withRetry('RemoveParticipant', async () => {
      await this.rooms.removeParticipant(room, participantId, { revokeTokenTs });
    }, () => false);
  }

  private key(circleId: string, identity: string): string {
    return `${circleId}\u0000${identity}`;
  }

  /** Whether a member may be entering `room` right now: they hold a token for it that has not expired. */
  private mayBeEntering(key: string, room: string): boolean {
    const token = this.tokens.get(key);
    return token !== undefined && token.room === room && token.until >= Date.now();
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
        // The room is read at every attempt: a member who moved meanwhile is updated where they are now.
        let room: string | undefined;
        await this.withRetry('UpdateParticipant', async () => {
          const wanted = this.wanted.get(key);
          if (!wanted) return;
          room = wanted.room;
          await this.rooms.updateParticipant(wanted.room, wanted.identity, {
            // Permissions are replaced as a whole: state every one of them.
            permission: {
              canSubscribe: true,
              canPublish: true,
              canPublishData: false,
              canPublishSources: wanted.sources,
            },
          });
        }, () => room !== undefined && this.mayBeEntering(key, room));
      } while (this.dirty.has(key));
    } finally {
      this.syncing.delete(key);
      // Only the newest wish matters, and only while it is being applied.
      if (!this.dirty.has(key)) this.wanted.delete(key);
    }
  }

  /**
   * Retry with backoff. `not_found` (not in the media room) is final — unless `mayBeEntering()`: the
   * member was just given a token for that room and may be entering it right now, in which case the
   * update waits for them.
   */
  private async withRetry(what: string, call: () => Promise<unknown>, mayBeEntering: () => boolean): Promise<void> {
    const retry = this.settings.retry ?? { minTimeoutMs: 250, retries: 6 };
    try {
      await pRetry(
        async () => {
          try {
            await call();
          } catch (error) {
            // Not in the media room (yet): nothing to update; their next token carries the grant.
            if (isNotFound(error) && !mayBeEntering()) throw new AbortError('not in the media room');
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
