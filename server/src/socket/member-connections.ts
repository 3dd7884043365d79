import type { RemovedReason } from '@spiral/shared';
import type { Logger } from '../logger.js';
import { ConnectionRegistry } from './connection-registry.js';
import type { SpiralServer, SpiralSocket } from './spiral-socket.js';

/** Where this process tells the cluster which seats its connections hold (Redis mode); nothing alone. */
export interface SeatTracker {
  held(circleId: string, participantId: string, connectionId: string): void;
  released(circleId: string, participantId: string, connectionId: string): void;
}

export interface MemberConnectionsDeps {
  /**
   * Mark a member away, unless `stillTheirs()` (asked inside the circle's lock) says a newer
   * connection of this process has their seat, or the record names another connection (of any process).
   */
  leave(circleId: string, participantId: string, stillTheirs: () => boolean, connectionId: string): Promise<void>;
  /** Reaches every process's sockets through the adapter (a per-member room). */
  io: SpiralServer;
  tracker?: SeatTracker;
  logger: Logger;
}

/** The Socket.IO room of one member's connections, whichever process holds them. */
export const memberRoom = (circleId: string, participantId: string) => `${circleId}:member:${participantId}`;

/**
 * Which connection holds each member's seat: a new connection claims it, an older one is sent away
 * (through the member's room, so also on another process), and a closing one leaves the circle only
 * while the seat is still its own (this process's registry, and the holder saved in the record).
 */
export class MemberConnections {
  private readonly registry = new ConnectionRegistry<SpiralSocket>();
  /** Sockets whose `connection` has run; one that closes before it must still leave. */
  private readonly connected = new WeakSet<SpiralSocket>();

  constructor(private readonly deps: MemberConnectionsDeps) {}

  /** Inside the circle's lock, once seated: `socket` holds the member's seat; returns this process's connection it replaces. */
  claim(circleId: string, participantId: string, socket: SpiralSocket): SpiralSocket | undefined {
    this.deps.tracker?.held(circleId, participantId, socket.id);
    return this.registry.replace(circleId, participantId, socket);
  }

  /**
   * The member connected again (`resumed`): their older connections, here or on another process,
   * are told so and closed. `socket` has not joined the member's room yet, so it is not among them.
   * A newcomer has no older connection anywhere.
   */
  replace(previous: SpiralSocket | undefined, socket: SpiralSocket, resumed = true): void {
    const { circleId, participantId } = socket.data;
    if (previous && previous !== socket) sendAway(previous, 'replaced');
    if (resumed) this.sendAwayEverywhere(circleId, participantId, 'replaced', socket.id);
  }

  /** Once connected: the socket enters its member's room (where removals and replacements reach it). */
  markConnected(socket: SpiralSocket): void {
    this.connected.add(socket);
    void socket.join(memberRoom(socket.data.circleId, socket.data.participantId));
  }

  /** The connection closed: its member is away — unless a newer connection holds their seat. */
  away(socket: SpiralSocket): void {
    const { circleId, participantId } = socket.data;
    this.deps.tracker?.released(circleId, participantId, socket.id);
    this.deps
      .leave(circleId, participantId, () => this.registry.release(circleId, participantId, socket), socket.id)
      .catch((error: unknown) => {
        this.deps.logger.error({ err: error, circleId }, 'could not mark member away');
      });
  }

  /** A seated client that goes before its `connection` ran must not stay "here". */
  awayIfNeverConnected(socket: SpiralSocket): void {
    if (!this.connected.has(socket)) this.away(socket);
  }

  /** A member removed from the circle: their connection, on whichever process, is told why and closed. */
  dismiss(circleId: string, participantId: string, reason: RemovedReason): void {
    const socket = this.registry.take(circleId, participantId);
    if (socket) sendAway(socket, reason);
    this.sendAwayEverywhere(circleId, participantId, reason, socket?.id);
  }

  private sendAwayEverywhere(circleId: string, participantId: string, reason: RemovedReason, except?: string): void {
    const room = memberRoom(circleId, participantId);
    const others = except === undefined ? this.deps.io.to(room) : this.deps.io.to(room).except(except);
    others.emit('circle:removed', { reason });
    (except === undefined ? this.deps.io.in(room) : this.deps.io.in(room).except(except)).disconnectSockets(true);
  }
}

function sendAway(socket: SpiralSocket, reason: RemovedReason): void {
  socket.emit('circle:removed', { reason });
  socket.disconnect(true);
}
