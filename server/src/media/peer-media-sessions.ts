/**
 * Who is in each circle's peer-to-peer media session, by the connection that joined it (a member
 * who reconnects elsewhere must join again). In memory: a P2P session lives only as long as its
 * connections do.
 */
export class PeerMediaSessions {
  private readonly circles = new Map<string, Map<string, string>>();

  constructor(readonly maxPeers: number) {}

  /** Join (or re-join from a new connection); false when the session is full. */
  join(circleId: string, participantId: string, socketId: string): boolean {
    const members = this.circles.get(circleId) ?? new Map<string, string>();
    if (!members.has(participantId) && members.size >= this.maxPeers) return false;
    members.set(participantId, socketId);
    this.circles.set(circleId, members);
    return true;
  }

  /** Leave, if `socketId` is still the connection that joined; true when something changed. */
  leave(circleId: string, participantId: string, socketId: string): boolean {
    const members = this.circles.get(circleId);
    if (!members || members.get(participantId) !== socketId) return false;
    members.delete(participantId);
    if (members.size === 0) this.circles.delete(circleId);
    return true;
  }

  /** The connection of a member in the session, if they are in it. */
  socketOf(circleId: string, participantId: string): string | undefined {
    return this.circles.get(circleId)?.get(participantId);
  }

  peers(circleId: string): string[] {
    return [...(this.circles.get(circleId)?.keys() ?? [])];
  }
}
