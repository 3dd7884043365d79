import type { SpiralSocket } from './spiral-socket.js';

/** The default per-address cap on simultaneous seats in one circle (`SEATS_PER_ADDRESS`): generous for a shared office. */
export const DEFAULT_SEATS_PER_ADDRESS = 10;

/**
 * The connections each client address holds (or is being seated on) in each circle, so one address
 * cannot take every seat. A slot is taken synchronously before the (asynchronous) join and given back
 * when the join fails or the connection closes, so concurrent handshakes cannot overshoot the cap.
 * A member's own session token already held from this address (a reload) is not a new seat.
 */
export class SeatsByAddress {
  private readonly slots = new Map<string, Map<SpiralSocket, string | undefined>>();

  constructor(readonly cap: number) {}

  private key(circleId: string, address: string): string {
    return `${circleId}\u0000${address}`;
  }

  /** Take a slot for `socket`, or false when the address already holds `cap` seats in the circle. */
  take(circleId: string, address: string, socket: SpiralSocket, sessionToken: string | undefined): boolean {
    const key = this.key(circleId, address);
    let held = this.slots.get(key);
    const reload = sessionToken !== undefined && held !== undefined && [...held.values()].includes(sessionToken);
    if (!reload && held !== undefined && held.size >= this.cap) return false;
    if (!held) this.slots.set(key, (held = new Map()));
    held.set(socket, sessionToken);
    return true;
  }

  /** The seated member's token: a later reload with it from this address is not a new seat. */
  seated(circleId: string, address: string, socket: SpiralSocket, sessionToken: string): void {
    const held = this.slots.get(this.key(circleId, address));
    if (held?.has(socket)) held.set(socket, sessionToken);
  }

  /** Give the slot back (the join failed, or the connection closed). */
  release(circleId: string, address: string, socket: SpiralSocket): void {
    const key = this.key(circleId, address);
    const held = this.slots.get(key);
    if (!held) return;
    held.delete(socket);
    if (held.size === 0) this.slots.delete(key);
  }

  /** How many slots the address holds in the circle. */
  count(circleId: string, address: string): number {
    return this.slots.get(this.key(circleId, address))?.size ?? 0;
  }
}
