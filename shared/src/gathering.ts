/**
 * Gatherings (PROTOCOL.md "v1.1 HTTP: gatherings"): a circle's date, length, description, listing and
 * time zone, and what follows from them — when joining opens, when it ends, when it may be swept away.
 * Zod-free, so the first page (the invite page's countdown) can import it.
 */

/** Joining opens this long before `startsAt` (a facilitator may enter any time). */
export const JOIN_OPENS_BEFORE_MS = 15 * 60_000;
/** The length a scheduled circle gets when none is given. */
export const DEFAULT_DURATION_MIN = 90;
/** Unscheduled circles idle this many days are swept away (`CIRCLE_TTL_DAYS`). */
export const DEFAULT_CIRCLE_TTL_DAYS = 30;

export interface Gathering {
  /** Epoch ms; null: not scheduled (a circle for "now"). */
  startsAt: number | null;
  durationMin: number | null;
  description: string;
  /** Shown on the public calendar. */
  listed: boolean;
  /** IANA name the facilitator scheduled in, for display; null when unset. */
  timeZone: string | null;
}

export const UNSCHEDULED: Gathering = { startsAt: null, durationMin: null, description: '', listed: false, timeZone: null };

/** When a scheduled circle ends; null when it is not scheduled. */
export function gatheringEndsAt(gathering: Gathering): number | null {
  if (gathering.startsAt === null) return null;
  return gathering.startsAt + (gathering.durationMin ?? DEFAULT_DURATION_MIN) * 60_000;
}

/** When newcomers may join: from 15 minutes before the start (always, when not scheduled). */
export function joinOpensAt(gathering: Gathering): number | null {
  return gathering.startsAt === null ? null : gathering.startsAt - JOIN_OPENS_BEFORE_MS;
}

/** Whether someone may join now: a facilitator always; anyone once joining has opened. */
export function joinIsOpen(gathering: Gathering, now: number, facilitator: boolean): boolean {
  const opensAt = joinOpensAt(gathering);
  return facilitator || opensAt === null || now >= opensAt;
}

/**
 * When a circle may be swept away with its secrets: a scheduled one once it has ended, an
 * unscheduled one `ttlDays` after its last change.
 */
export function expiresAt(gathering: Gathering, activeAt: number, ttlDays: number): number {
  return gatheringEndsAt(gathering) ?? activeAt + ttlDays * 86_400_000;
}

/** Whether `name` is an IANA time zone this runtime knows. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return name.length <= 64;
  } catch {
    return false;
  }
}
