/**
 * Gatherings against the built server process (`pnpm --filter @spiral/server build`), speaking only
 * HTTP, iCalendar and the socket protocol: schedule, edit, list, subscribe, the joining window, delete.
 */
import { calendarSchema, circleSummarySchema } from '@spiral/shared';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { createCircle, join, joinError } from '../support/harness.js';
import { useBlackboxServer } from '../support/blackbox-server.js';

const ORIGIN = 'https://circles.example.org';
const blackbox = useBlackboxServer('gatherings-blackbox', { PUBLIC_ORIGIN: ORIGIN, CIRCLE_TTL_DAYS: '7' });

const HOUR = 3_600_000;
const url = (path: string) => `${blackbox.current.url}${path}`;
const withKey = (method: string, key: string | undefined, body?: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { authorization: `Bearer ${key}` }) },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});
const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe('black box: gatherings on the built server', () => {
  it('schedule → summary → calendar → .ics → PATCH → DELETE, with every refusal', async () => {
    const startsAt = Math.ceil((Date.now() + 26 * HOUR) / 60_000) * 60_000;
    const circle = await createCircle(blackbox.current.url, {
      title: 'Café at dusk', template: 'conversation-cafe', question: 'What is enough?', startsAt,
      description: 'All welcome.', listed: true, timeZone: 'America/New_York',
    });
    const hidden = await createCircle(blackbox.current.url, { title: 'Hidden', startsAt: startsAt + HOUR });
    const path = `/api/circles/${circle.circleId}`;

    expect(circleSummarySchema.parse(await (await fetch(url(path))).json())).toMatchObject({
      startsAt, durationMin: 90, description: 'All welcome.', timeZone: 'America/New_York', listed: true, question: 'What is enough?',
    });

    const calendar = calendarSchema.parse(await (await fetch(url('/api/calendar'))).json()).circles;
    expect(calendar.map((c) => c.circleId)).toEqual([circle.circleId]);
    expect(calendar[0]).toMatchObject({ inviteUrl: `${ORIGIN}/c/${circle.circleId}`, template: 'conversation-cafe', startsAt });

    const feed = await fetch(url('/calendar.ics'));
    expect(feed.headers.get('content-type')).toMatch(/^text\/calendar/);
    const events = new ICAL.Component(ICAL.parse(await feed.text())).getAllSubcomponents('vevent');
    expect(events).toHaveLength(1);
    expect(events[0]!.getFirstPropertyValue('uid')).toBe(`${circle.circleId}@circles.example.org`);
    expect((events[0]!.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().getTime()).toBe(startsAt);
    expect((events[0]!.getFirstPropertyValue('dtend') as ICAL.Time).toJSDate().getTime()).toBe(startsAt + 90 * 60_000);
    expect(events[0]!.getFirstPropertyValue('summary')).toBe('Café at dusk');
    expect(events[0]!.getFirstPropertyValue('description')).toBe('What is enough?\n\nAll welcome.');
    const one = await fetch(url(`/c/${hidden.circleId}/event.ics`));
    expect(one.status).toBe(200);
    expect(await one.text()).toContain(`UID:${hidden.circleId}@circles.example.org`);
    expect((await fetch(url('/c/nope/event.ics'))).status).toBe(404);
    const unscheduled = await createCircle(blackbox.current.url, { title: 'Now' });
    expect((await fetch(url(`/c/${unscheduled.circleId}/event.ics`))).status).toBe(404);

    // Joining opens 15 minutes before the start; the facilitator may enter now.
    expect(await joinError(blackbox.current.url, { circleId: circle.circleId, name: 'Early' })).toBe('not_open');
    const host = await join(blackbox.current.url, { circleId: circle.circleId, name: 'Host', facilitatorKey: circle.facilitatorKey });

    expect(await codeOf(await fetch(url(path), withKey('PATCH', undefined, { title: 'X' })))).toBe('unauthorized');
    expect(await codeOf(await fetch(url(path), withKey('PATCH', hidden.facilitatorKey, { title: 'X' })))).toBe('forbidden');
    expect(await codeOf(await fetch(url('/api/circles/nope'), withKey('PATCH', circle.facilitatorKey, { title: 'X' })))).toBe('not_found');
    expect(await codeOf(await fetch(url(path), withKey('PATCH', circle.facilitatorKey, { startsAt: Date.now() - HOUR })))).toBe('invalid');
    expect(await codeOf(await fetch(url(path), withKey('PATCH', circle.facilitatorKey, { timeZone: 'Atlantis/Capital' })))).toBe('invalid');
    const version = host.latest().version;
    // Moving the start to within 15 minutes opens the door.
    const soon = Date.now() + 10 * 60_000;
    const patched = await fetch(url(path), withKey('PATCH', circle.facilitatorKey, { title: 'Café now', startsAt: soon, listed: false }));
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ title: 'Café now', startsAt: soon, listed: false, participantCount: 1 });
    expect((await host.waitFor((s) => s.version > version)).version).toBe(version + 1);
    expect(calendarSchema.parse(await (await fetch(url('/api/calendar'))).json()).circles).toEqual([]);
    const guest = await join(blackbox.current.url, { circleId: circle.circleId, name: 'Guest' });

    expect((await fetch(url(path), withKey('DELETE', undefined))).status).toBe(401);
    expect((await fetch(url(path), withKey('DELETE', 'wrong-key'))).status).toBe(403);
    const gone = Promise.all([host, guest].map((m) => new Promise<void>((resolve) => m.socket.once('disconnect', () => resolve()))));
    expect((await fetch(url(path), withKey('DELETE', circle.facilitatorKey))).status).toBe(204);
    await gone;
    expect(guest.removed).toEqual([{ reason: 'closed' }]);
    expect((await fetch(url(path))).status).toBe(404);
    expect((await fetch(url(path), withKey('DELETE', circle.facilitatorKey))).status).toBe(404);
    expect(blackbox.log()).not.toContain(circle.facilitatorKey);
    expect(blackbox.log()).not.toContain(guest.welcome.sessionToken);
  });

  it('a deletion survives kill -9: the circle stays gone after a restart', async () => {
    const circle = await createCircle(blackbox.current.url, { title: 'Short-lived', startsAt: Date.now() + 3 * HOUR, listed: true });
    expect((await fetch(url(`/api/circles/${circle.circleId}`), withKey('DELETE', circle.facilitatorKey))).status).toBe(204);
    await blackbox.killAndRestart();
    expect((await fetch(url(`/api/circles/${circle.circleId}`))).status).toBe(404);
    expect(calendarSchema.parse(await (await fetch(url('/api/calendar'))).json()).circles.map((c) => c.circleId)).not.toContain(circle.circleId);
  });
});
