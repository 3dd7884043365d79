import type { RemovedReason } from '@spiral/shared';
import type { Logger } from '../logger.js';
import { ConnectionRegistry } from './connection-registry.js';
import type { SpiralSocket } from './spiral-socket.js';

export interface MemberConnectionsDeps {
  /** Mark a member away, unless `stillTheirs()` (asked inside the circle's lock) says a newer connection has their seat. */
  leave(circleId: string, participantId: string, stillTheirs: () => boolean): Promise<void>;
  logger: Logger;
}

/**
 * Which connection holds each member's seat in this process: a new connection claims it, an older
 * one is sent away, and a closing one leaves the circle only while the seat is still its own.
 */
export class MemberConnections {
  private readonly registry = new ConnectionRegistry<SpiralSocket>();
  /** Sockets whose `connection` has run; one that closes before it must still leave. */
  private readonly connected = new WeakSet<SpiralSocket>();

  constructor(private readonly deps: MemberConnectionsDeps) {}

  /** Inside the circle's lock, once seated: `socket` holds the member's seat; returns the connection it replaces. */
  claim(circleId: string, participantId: string, socket: SpiralSocket): SpiralSocket | undefined {
    return this.registry.replace(circleId, participantId, socket);
  }

  /** The member connected again: their older connection is told so and closed. */
  replace(previous: SpiralSocket | undefined, socket: SpiralSocket): void {
    if (previous && previous !== socket) sendAway(previous, 'replaced');
  }

  markConnected(socket: SpiralSocket): void {
    this.connected.add(socket);
  }

  /** The connection closed: its member is away — unless a newer connection holds their seat. */
  away(socket: SpiralSocket): void {
    const { circleId, participantId } = socket.data;
    this.deps.leave(circleId, participantId, () => this.registry.release(circleId, participantId, socket)).catch((error: unknown) => {
      this.deps.logger.error({ err: error, circleId }, 'could not mark member away');
    });
  }

  /** A seated client that goes before its `connection` ran must not stay "here". */
  awayIfNeverConnected(socket: SpiralSocket): void {
    if (!this.connected.has(socket)) this.away(socket);
  }

  /** A member removed from the circle: their connection is told why and closed. */
  dismiss(circleId: string, participantId: string, reason: RemovedReason): void {
    const socket = this.registry.take(circleId, participantId);
    if (socket) sendAway(socket, reason);
  }
}

function sendAway(socket: SpiralSocket, reason: RemovedReason): void {
  socket.emit('circle:removed', { reason });
  socket.disconnect(true);
}
