/**
 * Wall-clock time in a named time zone, with Intl only (no zod, no date library): the first page
 * imports it. A "wall time" is a date `YYYY-MM-DD` and a time `HH:MM` as a clock in that zone shows them.
 */

export interface WallTime {
  /** `YYYY-MM-DD` */
  date: string;
  /** `HH:MM` (24 h) */
  time: string;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

/** The wall clock of `timeZone` at `ms`, as numbers. */
function wallParts(ms: number, timeZone: string) {
  const out: Record<string, number> = {};
  for (const p of partsFormatter(timeZone).formatToParts(new Date(ms))) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { year: out.year!, month: out.month!, day: out.day!, hour: out.hour! % 24, minute: out.minute!, second: out.second! };
}

/** How far `timeZone`'s clock is ahead of UTC at the instant `ms`, in ms. */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const w = wallParts(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})$/;

/**
 * The instant (epoch ms) when a clock in `timeZone` shows `wall`; null for a malformed date or time.
 * In a daylight-saving gap (a time the clock skips) the instant is the one just after the jump.
 */
export function wallTimeToEpoch(wall: WallTime, timeZone: string): number | null {
  const d = DATE_RE.exec(wall.date);
  const t = TIME_RE.exec(wall.time);
  if (!d || !t) return null;
  const [year, month, day, hour, minute] = [Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2])];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  const naive = Date.UTC(year, month - 1, day, hour, minute);
  if (new Date(naive).getUTCDate() !== day) return null; // 31 February
  // The zone's offset near that instant, then again at the candidate (it may differ across a change).
  const first = naive - zoneOffsetMs(naive, timeZone);
  const offset = zoneOffsetMs(first, timeZone);
  const second = naive - offset;
  if (zoneOffsetMs(second, timeZone) === offset) return second;
  return Math.max(first, second);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** What a clock in `timeZone` shows at `ms`. */
export function epochToWallTime(ms: number, timeZone: string): WallTime {
  const w = wallParts(ms, timeZone);
  return { date: `${w.year}-${pad(w.month)}-${pad(w.day)}`, time: `${pad(w.hour)}:${pad(w.minute)}` };
}

/** This device's time zone (IANA), `UTC` when the runtime does not say. */
export function deviceTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** The IANA time zones this browser knows, for a picker (always including `include`). */
export function timeZoneNames(include: string[] = []): string[] {
  let names: string[] = [];
  try {
    names = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  } catch {
    names = [];
  }
  const all = new Set([...names, ...include.filter(Boolean), 'UTC']);
  return [...all].sort((a, b) => a.localeCompare(b));
}

/** "Thursday 12 June 2025" in `timeZone`, in this browser's language. */
export function formatDay(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(ms);
}

/** "19:00", "01:32" (or "7:00 PM", "1:32 AM"): the short time of this browser's language, never ambiguous. */
export function formatClock(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, { timeZone, timeStyle: 'short' }).format(ms);
}

/** "Thursday 12 June 2025, 19:00 CEST". */
export function formatDateTime(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(ms);
}

/** Whether two zones show the same clock at `ms` (then there is no need to show the time twice). */
export function sameClock(ms: number, a: string, b: string): boolean {
  return a === b || zoneOffsetMs(ms, a) === zoneOffsetMs(ms, b);
}

/** "Europe/Berlin" → "Berlin"; "America/Argentina/Buenos_Aires" → "Buenos Aires". */
export function zoneCity(timeZone: string): string {
  return (timeZone.split('/').pop() ?? timeZone).replace(/_/g, ' ');
}

/** "1 h 30 min", "45 min", "2 h". */
export function formatDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** How long until an instant, in words: "3 days 4 h", "2 h 10 min", "10 min", "less than a minute". */
export function formatTimeUntil(ms: number): string {
  if (ms < 60_000) return 'less than a minute';
  const totalMin = Math.floor(ms / 60_000);
  const days = Math.floor(totalMin / 1440);
  const hours = Math.floor((totalMin % 1440) / 60);
  const minutes = totalMin % 60;
  if (days >= 2) return hours === 0 ? `${days} days` : `${days} days ${hours} h`;
  if (days === 1) return hours === 0 ? '1 day' : `1 day ${hours} h`;
  if (hours === 0) return `${minutes} min`;
  return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
}
