import { type CircleState, type CommandAck, type MediaCommand, RULE_REFUSALS, TRANSPORT_REFUSALS, unreachable } from '@spiral/shared';
import { refused } from '../acks.js';
import type { MediaConnection, MediaProvider } from './media-provider.js';

export interface MediaServiceDeps {
  /** The circle as stored now (its places decide which media room or session a member joins). */
  circle(circleId: string): Promise<CircleState | null>;
  provider: MediaProvider;
}

/**
 * The one place `media.join` and `media.leave` are answered: who asks is checked here, the media
 * session itself is the provider's (LiveKit, or peer to peer). Media is not circle state: nothing
 * here goes through `decide` or changes a version.
 */
export class MediaService {
  /** The media command under way on each connection: the next one waits for it. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: MediaServiceDeps) {}

  /**
   * One media command at a time per connection, in the order sent: a member whose place changes
   * twice in a row joins again twice, and the later join (which reads the later place) must finish
   * last, or the earlier one could leave them in a place they have left.
   */
  async command(circleId: string, participantId: string, command: MediaCommand, connection: MediaConnection): Promise<CommandAck> {
    const before = this.queues.get(connection.id) ?? Promise.resolve();
    const run = before.catch(() => {}).then(() => this.run(circleId, participantId, command, connection));
    this.queues.set(connection.id, run);
    try {
      return await run;
    } finally {
      if (this.queues.get(connection.id) === run) this.queues.delete(connection.id);
    }
  }

  private async run(circleId: string, participantId: string, command: MediaCommand, connection: MediaConnection): Promise<CommandAck> {
    switch (command.type) {
      case 'media.join':
        return this.join(circleId, participantId, connection);
      case 'media.leave':
        return this.leave(circleId, participantId, connection);
      default:
        return unreachable(command);
    }
  }

  /** The member's connection closed: it is no longer in the media session. */
  disconnected(circleId: string, participantId: string, connection: MediaConnection): void {
    this.deps.provider.leave(circleId, participantId, connection);
  }

  private async join(circleId: string, participantId: string, connection: MediaConnection): Promise<CommandAck> {
    const circle = await this.deps.circle(circleId);
    const participant = circle?.participants.find((p) => p.id === participantId);
    if (!circle || !participant) return refused(RULE_REFUSALS.notMember);
    return this.deps.provider.join(circle, participant, connection);
  }

  /** Acked with the circle's current version, as a command that changes nothing. */
  private async leave(circleId: string, participantId: string, connection: MediaConnection): Promise<CommandAck> {
    const circle = await this.deps.circle(circleId);
    if (!circle) return refused(TRANSPORT_REFUSALS.noSuchCircle);
    if (!circle.participants.some((p) => p.id === participantId)) return refused(RULE_REFUSALS.notMember);
    this.deps.provider.leave(circleId, participantId, connection);
    return { ok: true, version: circle.version };
  }
}
