import { useEffect, useMemo, useState } from 'react';
import { TEMPLATES, type TemplateKey } from '@spiral/shared';
import type { CalendarEntry } from '@spiral/shared/http';
import { CALENDAR_ICS_PATH, eventIcsPath, fetchCalendar } from '../lib/api';
import { deviceTimeZone, epochToWallTime, formatClock, formatDay, formatDuration } from '../lib/time';
import { useNow } from '../lib/useNow';
import { countdownText } from '../gathering/WhenCard';
import '../gathering/gathering.css';
import './pages.css';

type Load = { kind: 'loading' } | { kind: 'ready'; circles: CalendarEntry[] } | { kind: 'error'; message: string };

export const CALENDAR_FILTERS = [
  { key: 'all', label: 'All' },
  { key: 'wtr-spiral', label: 'Work That Reconnects' },
  { key: 'conversation-cafe', label: 'Conversation Café' },
  { key: 'open', label: 'Open circles' },
] as const satisfies readonly { key: TemplateKey | 'all'; label: string }[];
export type CalendarFilter = (typeof CALENDAR_FILTERS)[number]['key'];

export interface CalendarDay {
  /** `YYYY-MM-DD` in the visitor's zone */
  key: string;
  label: string;
  circles: CalendarEntry[];
}

/** The circles, soonest first, grouped by the day they start on in `timeZone`. */
export function groupByDay(circles: readonly CalendarEntry[], timeZone: string): CalendarDay[] {
  const days = new Map<string, CalendarDay>();
  for (const circle of [...circles].sort((a, b) => a.startsAt - b.startsAt)) {
    const key = epochToWallTime(circle.startsAt, timeZone).date;
    let day = days.get(key);
    if (!day) {
      day = { key, label: formatDay(circle.startsAt, timeZone), circles: [] };
      days.set(key, day);
    }
    day.circles.push(circle);
  }
  return [...days.values()];
}

/** `/calendar`: the upcoming listed circles by day, in the visitor's time zone, with a filter by kind. */
export default function CalendarPage() {
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [filter, setFilter] = useState<CalendarFilter>('all');
  const now = useNow(30_000);
  const zone = deviceTimeZone();

  useEffect(() => {
    const controller = new AbortController();
    setLoad({ kind: 'loading' });
    void fetchCalendar(controller.signal).then((result) => {
      if (controller.signal.aborted) return;
      setLoad(result.ok ? { kind: 'ready', circles: result.value } : { kind: 'error', message: result.message });
    });
    return () => controller.abort();
  }, [attempt]);

  const days = useMemo(() => {
    if (load.kind !== 'ready') return [];
    const shown = filter === 'all' ? load.circles : load.circles.filter((c) => (c.template ?? 'open') === filter);
    return groupByDay(shown, zone);
  }, [load, filter, zone]);

  return (
    <main className="page page--calendar">
      <header className="masthead">
        <a className="masthead__brand" href="/">
          Spiral
        </a>
      </header>
      <div className="calendar__intro">
        <div>
          <h1>Upcoming circles</h1>
          <p className="lede">Circles that facilitators have opened to everyone. Times are in your time zone ({zone.replace(/_/g, ' ')}).</p>
        </div>
        <a className="button" href={CALENDAR_ICS_PATH}>
          Subscribe (.ics)
        </a>
      </div>
      <fieldset className="calendar__filters">
        <legend>Show</legend>
        {CALENDAR_FILTERS.map((f) => (
          <label key={f.key} className="filter">
            <input type="radio" name="calendar-filter" value={f.key} checked={filter === f.key} onChange={() => setFilter(f.key)} />
            <span>{f.label}</span>
          </label>
        ))}
      </fieldset>
      {load.kind === 'loading' ? (
        <p className="card" role="status">
          Loading the calendar…
        </p>
      ) : load.kind === 'error' ? (
        <div className="card" role="alert">
          <h2>Could not load the calendar</h2>
          <p>{load.message}</p>
          <button type="button" className="button button--primary" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      ) : days.length === 0 ? (
        <div className="card">
          <h2>{filter === 'all' ? 'No circles are listed yet' : `No ${CALENDAR_FILTERS.find((f) => f.key === filter)?.label} circles are listed yet`}</h2>
          <p>
            {filter === 'all' ? 'When a facilitator lists a circle, it appears here.' : 'Try another kind, or come back later.'}{' '}
            <a href="/">Gather a circle</a> and list it on the calendar yourself.
          </p>
        </div>
      ) : (
        days.map((day) => (
          <section key={day.key} className="calendar__day" aria-labelledby={`day-${day.key}`}>
            <h2 id={`day-${day.key}`}>{day.label}</h2>
            <ul className="calendar__list">
              {day.circles.map((circle) => (
                <li key={circle.circleId} className="event">
                  <div className="event__when">
                    <p className="event__time">
                      <time dateTime={new Date(circle.startsAt).toISOString()}>{formatClock(circle.startsAt, zone)}</time>
                    </p>
                    <p className="event__length">{formatDuration(circle.durationMin)}</p>
                  </div>
                  <div>
                    <p className="event__kind">
                      {TEMPLATES[circle.template ?? 'open'].label} · {countdownText(circle, now)}
                    </p>
                    <h3>{circle.title}</h3>
                    {circle.question ? <p className="event__question">{circle.question}</p> : null}
                    {circle.description ? <p className="event__description">{circle.description}</p> : null}
                    <div className="event__actions">
                      <a className="button button--primary" href={circle.inviteUrl}>
                        Invite page<span className="sr-only"> for {circle.title}</span>
                      </a>
                      <a className="button" href={eventIcsPath(circle.circleId)} download={`${circle.circleId}.ics`}>
                        Add to calendar<span className="sr-only">: {circle.title}</span>
                      </a>
                    </div>
                  </div>
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
    </main>
  );
}
