import { p2pPlaceCapacity } from '@spiral/shared';
import type { MediaConnection } from './media-provider.js';

/** A member's seat in a peer-to-peer session: the place whose session it is, and the connection that took it. */
export interface PeerSeat {
  /** The place key (`main`, or a breakout group's id): peers connect only within a place. */
  place: string;
  connection: MediaConnection;
}

/**
 * Who is in the peer-to-peer media session of each place of each circle (the main circle, every
 * breakout group), by the connection that joined it (a member who reconnects elsewhere must join
 * again). A member has at most one seat per circle. In memory: a P2P session lives only as long as
 * its connections do.
 */
export class PeerMediaSessions {
  /** Per circle: each seated member's seat. */
  private readonly circles = new Map<string, Map<string, PeerSeat>>();

  /** How many members a place's session holds: senders and receive-only members together. */
  readonly capacity: number;

  /**
   * `maxPeers` is per place: each group's session, and the main circle's, has that many members who
   * send (`p2pSenders` in shared says which); as many again may join receiving only
   * (`p2pPlaceCapacity`).
   */
  constructor(readonly maxPeers: number) {
    this.capacity = p2pPlaceCapacity(maxPeers);
  }

  /**
   * Take a seat in `seat.place`'s session, in place of any seat the member had (the caller has
   * vacated a seat elsewhere first); false when that place's session is full without them.
   */
  join(circleId: string, participantId: string, seat: PeerSeat): boolean {
    const members = this.circles.get(circleId) ?? new Map<string, PeerSeat>();
    const already = members.get(participantId)?.place === seat.place;
    if (!already && this.peers(circleId, seat.place).length >= this.capacity) return false;
    members.set(participantId, seat);
    this.circles.set(circleId, members);
    return true;
  }

  /** Give up the member's seat, if `connectionId` is still the connection that took it; the seat given up. */
  leave(circleId: string, participantId: string, connectionId: string): PeerSeat | undefined {
    const members = this.circles.get(circleId);
    const seat = members?.get(participantId);
    if (!members || !seat || seat.connection.id !== connectionId) return undefined;
    members.delete(participantId);
    if (members.size === 0) this.circles.delete(circleId);
    return seat;
  }

  /** A member's seat, if they are in a session of this circle. */
  seatOf(circleId: string, participantId: string): PeerSeat | undefined {
    return this.circles.get(circleId)?.get(participantId);
  }

  /** Every seat in the circle's sessions, as `[participantId, seat]` (a copy: safe to leave while iterating). */
  seats(circleId: string): [string, PeerSeat][] {
    return [...(this.circles.get(circleId) ?? [])];
  }

  /** The members in `place`'s session, in the order they joined it. */
  peers(circleId: string, place: string): string[] {
    return this.seats(circleId).filter(([, seat]) => seat.place === place).map(([id]) => id);
  }
}
