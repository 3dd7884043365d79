/**
 * Gatherings over HTTP (PROTOCOL.md "v1.1 HTTP: gatherings"): what a create or patch body changes,
 * the public summary, the calendar, and its iCalendar form. Nothing here ever reads a secret or a
 * participant's name.
 */
import {
  type CalendarEntry,
  type CircleState,
  type CircleSummary,
  connectedCount,
  DEFAULT_DURATION_MIN,
  type Gathering,
  gatheringEndsAt,
  type PatchCircleBody,
} from '@spiral/shared';
import ical, { ICalCalendarMethod } from 'ical-generator';

/** Why a schedule is refused (400), or null: `startsAt` must be in the future. */
export function scheduleProblem(startsAt: number | undefined, now: number, unchanged?: number | null): string | null {
  if (startsAt === undefined || startsAt === unchanged) return null;
  if (startsAt <= now) return 'startsAt must be in the future (epoch milliseconds).';
  return null;
}

/**
 * The gathering fields a body sets (only those given). A `startsAt` without `durationMin` gets
 * `DEFAULT_DURATION_MIN` when the circle has no duration yet.
 */
export function gatheringChanges(body: Omit<PatchCircleBody, 'title' | 'question'>, current: Gathering | null): Partial<Gathering> {
  const changes: Partial<Gathering> = {};
  if (body.startsAt !== undefined) changes.startsAt = body.startsAt;
  if (body.durationMin !== undefined) changes.durationMin = body.durationMin;
  else if (body.startsAt !== undefined && (current?.durationMin ?? null) === null) changes.durationMin = DEFAULT_DURATION_MIN;
  if (body.description !== undefined) changes.description = body.description;
  if (body.listed !== undefined) changes.listed = body.listed;
  if (body.timeZone !== undefined) changes.timeZone = body.timeZone;
  return changes;
}

const orNull = (text: string): string | null => (text === '' ? null : text);

/** `GET /api/circles/:circleId`: public fields only. */
export function summaryOf(state: CircleState): CircleSummary {
  const { gathering } = state;
  return {
    circleId: state.id,
    title: state.title,
    stage: state.stage.key,
    participantCount: connectedCount(state),
    locked: state.locked,
    question: orNull(state.question),
    template: state.template,
    startsAt: gathering.startsAt,
    durationMin: gathering.durationMin,
    description: orNull(gathering.description),
    timeZone: gathering.timeZone,
    listed: gathering.listed,
  };
}

export const inviteUrlOf = (publicOrigin: string, circleId: string) => `${publicOrigin}/c/${circleId}`;

/** On the public calendar now: listed, scheduled, and not yet ended. */
export function isUpcomingListed(state: CircleState, now: number): boolean {
  const endsAt = gatheringEndsAt(state.gathering);
  return state.gathering.listed && endsAt !== null && endsAt > now;
}

/** `GET /api/calendar`: the upcoming listed circles, soonest first. */
export function calendarOf(states: CircleState[], now: number, publicOrigin: string): CalendarEntry[] {
  return states
    .filter((state) => isUpcomingListed(state, now))
    .sort((a, b) => (a.gathering.startsAt ?? 0) - (b.gathering.startsAt ?? 0) || a.id.localeCompare(b.id))
    .map((state) => ({
      circleId: state.id,
      title: state.title,
      question: orNull(state.question),
      startsAt: state.gathering.startsAt ?? 0,
      durationMin: state.gathering.durationMin ?? DEFAULT_DURATION_MIN,
      description: orNull(state.gathering.description),
      timeZone: state.gathering.timeZone,
      inviteUrl: inviteUrlOf(publicOrigin, state.id),
      template: state.template,
    }));
}

/**
 * An iCalendar (RFC 5545) `VCALENDAR` with one `VEVENT` per scheduled circle: `UID` stable per circle,
 * `DTSTART`/`DTEND` in UTC, `SUMMARY` the title, `URL` the invite link, `DESCRIPTION` the question
 * and the description. Unscheduled circles are skipped.
 */
export function icsOf(states: CircleState[], options: { publicOrigin: string; now: number; name: string }): string {
  const calendar = ical({
    name: options.name,
    prodId: { company: 'Spiral', product: 'circles', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
  });
  const host = new URL(options.publicOrigin).host;
  for (const state of states) {
    const { startsAt } = state.gathering;
    const endsAt = gatheringEndsAt(state.gathering);
    if (startsAt === null || endsAt === null) continue;
    const url = inviteUrlOf(options.publicOrigin, state.id);
    const description = [state.question, state.gathering.description].filter((part) => part !== '').join('\n\n');
    calendar.createEvent({
      id: `${state.id}@${host}`,
      start: new Date(startsAt),
      end: new Date(endsAt),
      // UTC throughout; the facilitator's zone (state.gathering.timeZone) is for display on our pages.
      stamp: new Date(options.now),
      summary: state.title,
      // No empty DESCRIPTION line when the circle has neither.
      description: description === '' ? null : description,
      url,
    });
  }
  return calendar.toString();
}
