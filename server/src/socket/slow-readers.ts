import type { CircleState } from '@spiral/shared';
import type { Logger } from '../logger.js';
import type { SpiralServer, SpiralSocket } from './spiral-socket.js';

/** A send to a member still unfinished after this long: they are behind, and wait for the newest snapshot only. */
export const BEHIND_AFTER_MS = 1_000;
/** Behind this long: the connection is cut (the client reconnects and gets the whole state). */
export const STALLED_AFTER_MS = 10_000;
/**
 * Packets queued in Engine.IO for one connection, not yet handed to its transport, past which it is
 * cut: a long-polling client that stops polling (its transport is never busy, so it is never
 * "behind") queues everything here, pings included.
 */
export const MAX_QUEUED_PACKETS = 200;
const SWEEP_EVERY_MS = 500;

interface Reader {
  socket: SpiralSocket;
  /** When the oldest unfinished send to this connection started; null while it is drained. */
  sendingSince: number | null;
  /** A snapshot was held back from it: send the circle's newest once it drains. */
  owed: boolean;
}

/** The bits of Engine.IO's transport this watches: `writable`, its `drain` event, and (websocket) the raw `ws`. */
interface Transport {
  writable: boolean;
  on(event: 'drain', listener: () => void): unknown;
  socket?: { terminate?: () => void };
}

/**
 * Backpressure for members whose connection is not draining (a frozen device, a bad network, a
 * client that stops reading): snapshots to them are coalesced — held back while they are behind,
 * and only the newest is sent when they drain — and a connection behind for `STALLED_AFTER_MS` is
 * cut, so what the server buffers for one member stays bounded. Applies to this process's sockets.
 */
export class SlowReaders {
  private readonly readers = new Map<string, Reader>();
  /** The newest snapshot of each circle with a member owed one. */
  private readonly newest = new Map<string, CircleState>();
  private readonly sweeper: ReturnType<typeof setInterval>;

  constructor(
    private readonly deps: { io: SpiralServer; logger: Logger; now?: () => number },
    private readonly limits = { behindAfterMs: BEHIND_AFTER_MS, stalledAfterMs: STALLED_AFTER_MS },
  ) {
    this.sweeper = setInterval(() => this.sweep(), SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  watch(socket: SpiralSocket): void {
    const reader: Reader = { socket, sendingSince: null, owed: false };
    this.readers.set(socket.id, reader);
    const drained = () => {
      reader.sendingSince = null;
      if (reader.owed) this.sendNewest(reader);
    };
    socket.conn.on('flush', () => {
      reader.sendingSince ??= this.now();
    });
    (socket.conn.transport as unknown as Transport).on('drain', drained);
    socket.conn.on('upgrade', (transport: unknown) => (transport as Transport).on('drain', drained));
    socket.on('disconnect', () => this.readers.delete(socket.id));
  }

  /**
   * `state` is about to go to its circle's room: the ids of this process's members who are behind,
   * to leave out. They are owed it; everyone else gets it now and owes nothing.
   */
  holdBack(state: CircleState): string[] {
    const held: string[] = [];
    for (const id of this.deps.io.sockets.adapter.rooms.get(state.id) ?? []) {
      const reader = this.readers.get(id);
      if (!reader) continue;
      reader.owed = this.isBehind(reader);
      if (reader.owed) held.push(id);
    }
    if (held.length > 0) this.newest.set(state.id, state);
    else this.newest.delete(state.id);
    return held;
  }

  /** This process's members who are behind now (for ephemeral messages, which they simply miss). */
  behindIn(circleId: string): string[] {
    const ids = [...(this.deps.io.sockets.adapter.rooms.get(circleId) ?? [])];
    return ids.filter((id) => {
      const reader = this.readers.get(id);
      return reader !== undefined && this.isBehind(reader);
    });
  }

  close(): void {
    clearInterval(this.sweeper);
  }

  private isBehind(reader: Reader): boolean {
    return reader.sendingSince !== null && this.now() - reader.sendingSince >= this.limits.behindAfterMs;
  }

  private sendNewest(reader: Reader): void {
    reader.owed = false;
    const state = this.newest.get(reader.socket.data.circleId);
    if (state && reader.socket.connected) reader.socket.emit('circle:state', state);
  }

  private sweep(): void {
    const now = this.now();
    for (const reader of this.readers.values()) {
      const transport = reader.socket.conn.transport as unknown as Transport;
      if (queuedPackets(reader.socket) > MAX_QUEUED_PACKETS) {
        this.cut(reader, transport);
      } else if (reader.sendingSince === null || transport.writable) {
        reader.sendingSince = null;
        if (reader.owed) this.sendNewest(reader);
      } else if (now - reader.sendingSince >= this.limits.stalledAfterMs) {
        this.cut(reader, transport);
      }
    }
    // Snapshots nobody is owed any more.
    const owed = new Set<string>();
    for (const reader of this.readers.values()) if (reader.owed) owed.add(reader.socket.data.circleId);
    for (const circleId of this.newest.keys()) if (!owed.has(circleId)) this.newest.delete(circleId);
  }

  /** Cut a stalled connection at once: a polite close would wait behind everything already buffered. */
  private cut(reader: Reader, transport: Transport): void {
    const { circleId, participantId } = reader.socket.data;
    this.deps.logger.warn({ circleId, participantId }, 'connection not draining: cut, to resync when it reconnects');
    this.readers.delete(reader.socket.id);
    transport.socket?.terminate?.();
    reader.socket.disconnect(true);
  }

  private now(): number {
    return this.deps.now?.() ?? performance.now();
  }
}

/** Engine.IO's queue for a connection (not in its typings; an array in engine.io 6). */
function queuedPackets(socket: SpiralSocket): number {
  const queue = (socket.conn as unknown as { writeBuffer?: unknown }).writeBuffer;
  return Array.isArray(queue) ? queue.length : 0;
}
