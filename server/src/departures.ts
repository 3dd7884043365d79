/** A connection that closed, waiting to mark its member away. */
export interface Departure {
  participantId: string;
  /** Asked inside the circle's lock: false when a newer connection has taken the seat. */
  stillTheirs: () => boolean;
  /** The connection, when the record names each seat's holder (several processes). */
  connectionId?: string;
}

/**
 * Departures gathered per circle: those that arrive while the first waits for the circle's lock
 * leave with it, in one change and one snapshot (a network blip, or a flood's connections cut at
 * once, is not N changes). Only the gathering; deciding and saving are the circle service's.
 */
export class DepartureGatherer {
  private readonly gathering = new Map<string, { departures: Departure[]; settle: ((error?: unknown) => void)[] }>();

  /**
   * Add `departure`. The first of a gathering calls `leave(take)`; `take()` (called once inside the
   * lock, or on a failure before it) returns everything gathered by then, and later departures start
   * a new gathering. Resolves when the gathering's change is saved.
   */
  add(circleId: string, departure: Departure, leave: (take: () => Departure[]) => Promise<void>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const settle = (error?: unknown) => (error === undefined ? resolve() : reject(error));
      const open = this.gathering.get(circleId);
      if (open) {
        open.departures.push(departure);
        open.settle.push(settle);
        return;
      }
      const mine = { departures: [departure], settle: [settle] };
      this.gathering.set(circleId, mine);
      let taken = false;
      const take = (): Departure[] => {
        if (!taken && this.gathering.get(circleId) === mine) this.gathering.delete(circleId);
        taken = true;
        return mine.departures;
      };
      leave(take).then(
        () => (take(), mine.settle.forEach((s) => s())),
        (error: unknown) => (take(), mine.settle.forEach((s) => s(error ?? new Error('departure failed')))),
      );
    });
  }
}
