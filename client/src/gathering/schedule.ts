/**
 * The scheduling form's draft and its check, shared by the home page and the edit dialog. The ranges
 * are the protocol's (LIMITS, isTimeZone from shared); "in the future" is the server's final word.
 */
import { LIMITS } from '@spiral/shared/limits';
import { DEFAULT_DURATION_MIN, isTimeZone } from '@spiral/shared/gathering';
import { epochToWallTime, wallTimeToEpoch } from '../lib/time';

export interface ScheduleDraft {
  /** `YYYY-MM-DD` in `timeZone` */
  date: string;
  /** `HH:MM` in `timeZone` */
  time: string;
  timeZone: string;
  /** As typed. */
  durationMin: string;
  description: string;
  listed: boolean;
}

export type ScheduleField = 'date' | 'time' | 'timeZone' | 'durationMin' | 'description';
export type ScheduleErrors = Partial<Record<ScheduleField, string>>;

export interface ScheduleValues {
  startsAt: number;
  durationMin: number;
  description: string;
  listed: boolean;
  timeZone: string;
}

/** A fresh draft: tomorrow at 19:00 in `timeZone`. */
export function newScheduleDraft(now: number, timeZone: string): ScheduleDraft {
  const tomorrow = epochToWallTime(now + 86_400_000, timeZone);
  return { date: tomorrow.date, time: '19:00', timeZone, durationMin: String(DEFAULT_DURATION_MIN), description: '', listed: false };
}

/** A draft showing a scheduled circle as its facilitator set it (in their zone, else `fallbackZone`). */
export function draftFrom(
  gathering: { startsAt: number | null; durationMin: number | null; description: string | null; listed?: boolean; timeZone: string | null },
  now: number,
  fallbackZone: string,
): ScheduleDraft {
  const timeZone = gathering.timeZone && isTimeZone(gathering.timeZone) ? gathering.timeZone : fallbackZone;
  if (gathering.startsAt === null) return { ...newScheduleDraft(now, timeZone), description: gathering.description ?? '', listed: gathering.listed ?? false };
  const wall = epochToWallTime(gathering.startsAt, timeZone);
  return {
    ...wall,
    timeZone,
    durationMin: String(gathering.durationMin ?? DEFAULT_DURATION_MIN),
    description: gathering.description ?? '',
    listed: gathering.listed ?? false,
  };
}

/** The instant the draft names, or null while its date or time is incomplete. */
export function draftStartsAt(draft: ScheduleDraft): number | null {
  if (!isTimeZone(draft.timeZone)) return null;
  return wallTimeToEpoch({ date: draft.date, time: draft.time }, draft.timeZone);
}

/** The draft as the request's fields, or what is wrong with it, field by field. */
export function checkSchedule(
  draft: ScheduleDraft,
  now: number,
  /** The circle's start as it stands: keeping it is never "in the past". */
  keptStartsAt: number | null = null,
): { ok: true; values: ScheduleValues } | { ok: false; errors: ScheduleErrors } {
  const errors: ScheduleErrors = {};
  const zoneOk = isTimeZone(draft.timeZone);
  if (!zoneOk) errors.timeZone = 'Choose a time zone from the list, e.g. Europe/Berlin.';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.date)) errors.date = 'Choose a date.';
  if (!/^\d{2}:\d{2}$/.test(draft.time)) errors.time = 'Choose a time.';
  const startsAt = zoneOk && !errors.date && !errors.time ? wallTimeToEpoch({ date: draft.date, time: draft.time }, draft.timeZone) : null;
  if (zoneOk && !errors.date && !errors.time) {
    if (startsAt === null) errors.date = 'That date does not exist.';
    else if (startsAt <= now && startsAt !== keptStartsAt) errors.time = 'Choose a time in the future.';
  }
  const duration = Number(draft.durationMin);
  if (draft.durationMin.trim() === '' || !Number.isInteger(duration) || duration < LIMITS.durationMinMin || duration > LIMITS.durationMinMax)
    errors.durationMin = `A whole number of minutes from ${LIMITS.durationMinMin} to ${LIMITS.durationMinMax}.`;
  const description = draft.description.trim();
  if (description.length > LIMITS.descriptionMax) errors.description = `Please keep the description under ${LIMITS.descriptionMax} characters.`;
  if (Object.keys(errors).length > 0 || startsAt === null) return { ok: false, errors };
  return { ok: true, values: { startsAt, durationMin: duration, description, listed: draft.listed, timeZone: draft.timeZone } };
}
