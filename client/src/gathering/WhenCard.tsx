import { DEFAULT_DURATION_MIN, gatheringEndsAt, type Gathering } from '@spiral/shared/gathering';
import { eventIcsPath } from '../lib/api';
import { deviceTimeZone, formatDateTime, formatDuration, formatTimeUntil, sameClock, zoneCity } from '../lib/time';
import './gathering.css';

/** "Starts in 2 h 10 min", "Under way", "Ended": where a scheduled circle stands at `now`. */
export function countdownText(gathering: Pick<Gathering, 'startsAt' | 'durationMin'>, now: number): string {
  if (gathering.startsAt === null) return '';
  if (now < gathering.startsAt) return `Starts in ${formatTimeUntil(gathering.startsAt - now)}`;
  const endsAt = gatheringEndsAt({ ...gathering, description: '', listed: false, timeZone: null });
  if (endsAt !== null && now < endsAt) return 'Under way now';
  return 'This circle has ended';
}

export interface WhenCardProps {
  circleId: string;
  startsAt: number;
  durationMin: number | null;
  /** The facilitator's zone, shown too when its clock differs from this device's. */
  timeZone: string | null;
  now: number;
}

/** The invite page's "when": a live countdown, the local date and time, the host's, "Add to calendar". */
export function WhenCard({ circleId, startsAt, durationMin, timeZone, now }: WhenCardProps) {
  const here = deviceTimeZone();
  const duration = durationMin ?? DEFAULT_DURATION_MIN;
  const hostZone = timeZone && !sameClock(startsAt, here, timeZone) ? timeZone : null;
  return (
    <section className="when" aria-label="When">
      <p className="when__countdown" role="timer" data-starts-at={startsAt}>
        {countdownText({ startsAt, durationMin: duration }, now)}
      </p>
      <p className="when__date">
        <time dateTime={new Date(startsAt).toISOString()}>{formatDateTime(startsAt, here)}</time> · {formatDuration(duration)}
      </p>
      {hostZone ? (
        <p className="when__other">
          {formatDateTime(startsAt, hostZone)} for the host ({zoneCity(hostZone)})
        </p>
      ) : null}
      <div className="when__actions">
        <a className="button" href={eventIcsPath(circleId)} download={`${circleId}.ics`}>
          Add to calendar
        </a>
      </div>
    </section>
  );
}
