/** The one live connection of each member (the newest wins). */
export class ConnectionRegistry<S> {
  private readonly sockets = new Map<string, S>();

  private key(circleId: string, participantId: string): string {
    return `${circleId}\u0000${participantId}`;
  }

  /** Make `socket` the member's connection; returns the one it replaces. */
  replace(circleId: string, participantId: string, socket: S): S | undefined {
    const key = this.key(circleId, participantId);
    const previous = this.sockets.get(key);
    this.sockets.set(key, socket);
    return previous;
  }

  /** Forget `socket` if it is still the member's connection; true when it was. */
  release(circleId: string, participantId: string, socket: S): boolean {
    const key = this.key(circleId, participantId);
    if (this.sockets.get(key) !== socket) return false;
    this.sockets.delete(key);
    return true;
  }

  /** Remove and return the member's connection (they are being removed from the circle). */
  take(circleId: string, participantId: string): S | undefined {
    const key = this.key(circleId, participantId);
    const socket = this.sockets.get(key);
    this.sockets.delete(key);
    return socket;
  }
}
