/**
 * Gatherings over HTTP (PROTOCOL.md "v1.1 HTTP: gatherings"): scheduling on create, PATCH and DELETE
 * with the facilitator key, the public calendar and its iCalendar forms (parsed back with ical.js),
 * the joining window over real sockets, and the retention sweep on the fake clock.
 */
import { calendarSchema, circleSummarySchema, DEFAULT_DURATION_MIN, JOIN_OPENS_BEFORE_MS } from '@spiral/shared';
import { createFakeClock, type FakeClock, MemoryCircleStore, SWEEP_INTERVAL_MS } from '@spiral/server';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ICAL from 'ical.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeAllSockets, createCircle, join, joinError, startServer, type TestServer } from '../support/harness.js';

const ORIGIN = 'https://circles.example.org';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let server: TestServer;
let clock: FakeClock;
let store: MemoryCircleStore;
beforeAll(async () => {
  clock = createFakeClock();
  store = new MemoryCircleStore();
  server = await startServer({ clock, store, config: { publicOrigin: ORIGIN } });
});
afterAll(() => server.close());
afterEach(() => closeAllSockets());

const api = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, init);
const json = (method: string, body: unknown, key?: string): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { authorization: `Bearer ${key}` }) },
  body: JSON.stringify(body),
});
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;
const inHours = (hours: number) => clock.now() + hours * HOUR;

async function schedule(body: Record<string, unknown>) {
  return createCircle(server.url, { title: 'Evening circle', ...body });
}

function parseIcs(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return { calendar, events: calendar.getAllSubcomponents('vevent') };
}
const prop = (event: ICAL.Component, name: string) => event.getFirstPropertyValue(name);
const utcMs = (event: ICAL.Component, name: string) => {
  const time = prop(event, name) as ICAL.Time;
  expect(time.zone?.tzid).toBe('UTC');
  return time.toJSDate().getTime();
};

describe('gatherings: creating and reading', () => {
  it('stores the schedule, with the default duration, and shows it in the public summary (null where unset)', async () => {
    const startsAt = inHours(48);
    const circle = await schedule({ question: 'What gives you hope?', startsAt, description: 'Bring tea.', listed: true, timeZone: 'Europe/Berlin' });
    const summary = await (await api(`/api/circles/${circle.circleId}`)).json();
    expect(circleSummarySchema.parse(summary)).toEqual({
      circleId: circle.circleId, title: 'Evening circle', stage: 'gratitude', participantCount: 0, locked: false,
      question: 'What gives you hope?', template: 'wtr-spiral', startsAt, durationMin: DEFAULT_DURATION_MIN,
      description: 'Bring tea.', timeZone: 'Europe/Berlin', listed: true,
    });

    const plain = await createCircle(server.url, { title: 'Now' });
    expect(await (await api(`/api/circles/${plain.circleId}`)).json()).toMatchObject({
      question: null, startsAt: null, durationMin: null, description: null, timeZone: null, listed: false,
    });
  });

  it.each([
    ['a start in the past', { startsAt: 'past' }, /future/],
    ['a start right now', { startsAt: 'now' }, /future/],
    ['a bad time zone', { startsAt: 'later', timeZone: 'Mars/Olympus_Mons' }, /timeZone/],
    ['a duration under 15 minutes', { startsAt: 'later', durationMin: 10 }, /durationMin/],
    ['a duration over 600 minutes', { startsAt: 'later', durationMin: 601 }, /durationMin/],
    ['a description over 2 000 characters', { description: 'x'.repeat(2001) }, /description/],
    ['a start that is not a number', { startsAt: '2030-01-01' }, /startsAt/],
    ['listed that is not a boolean', { listed: 'yes' }, /listed/],
  ])('refuses %s with 400 invalid and a clear message', async (_name, fields, message) => {
    const body: Record<string, unknown> = { title: 'T', ...fields };
    if (body.startsAt === 'now') body.startsAt = clock.now();
    if (body.startsAt === 'past') body.startsAt = clock.now() - 2 * DAY;
    if (body.startsAt === 'later') body.startsAt = inHours(5);
    const res = await api('/api/circles', json('POST', body));
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe('invalid');
    expect(error.message).toMatch(message);
  });
});

describe('gatherings: PATCH and DELETE with the facilitator key', () => {
  it('PATCH edits through the circle pipeline: 200 with the summary, version + 1, one snapshot to members', async () => {
    const circle = await schedule({ startsAt: inHours(0.1) });
    const host = await join(server.url, { circleId: circle.circleId, name: 'Host', facilitatorKey: circle.facilitatorKey });
    const before = host.latest().version;
    const startsAt = inHours(30);
    const res = await api(`/api/circles/${circle.circleId}`, json('PATCH', { title: 'Moved', startsAt, durationMin: 60, listed: true, timeZone: 'America/New_York', question: 'Q?', description: 'D' }, circle.facilitatorKey));
    expect(res.status).toBe(200);
    const summary = circleSummarySchema.parse(await res.json());
    expect(summary).toMatchObject({ title: 'Moved', startsAt, durationMin: 60, listed: true, timeZone: 'America/New_York', question: 'Q?', description: 'D', participantCount: 1 });
    const state = await host.waitFor((s) => s.version > before);
    expect(state.version).toBe(before + 1);
    expect(state).toMatchObject({ title: 'Moved', question: 'Q?', gathering: { startsAt, durationMin: 60, description: 'D', listed: true, timeZone: 'America/New_York' } });
    expect(JSON.stringify(summary)).not.toContain(circle.facilitatorKey);
    expect(JSON.stringify(summary)).not.toContain('Host');

    // Only the fields given change; an unchanged edit is 200 with no new version.
    const again = await api(`/api/circles/${circle.circleId}`, json('PATCH', { listed: true }, circle.facilitatorKey));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ title: 'Moved', startsAt, durationMin: 60 });
    expect((await api(`/api/circles/${circle.circleId}`)).status).toBe(200);
    expect(host.latest().version).toBe(before + 1);
  });

  it('PATCH refusals: 401 without a key or with a malformed header, 403 wrong key, 404 unknown, 400 bad body or a past start', async () => {
    const circle = await schedule({ startsAt: inHours(3) });
    const path = `/api/circles/${circle.circleId}`;
    const noKey = await api(path, json('PATCH', { title: 'X' }));
    expect(noKey.status).toBe(401);
    expect(noKey.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await errorOf(noKey)).code).toBe('unauthorized');
    const malformed = await api(path, { ...json('PATCH', { title: 'X' }), headers: { 'content-type': 'application/json', authorization: `Basic ${circle.facilitatorKey}` } });
    expect(malformed.status).toBe(401);
    const wrong = await api(path, json('PATCH', { title: 'X' }, `${circle.facilitatorKey}x`));
    expect(wrong.status).toBe(403);
    expect((await errorOf(wrong)).code).toBe('forbidden');
    const unknown = await api('/api/circles/no-such-circle-here', json('PATCH', { title: 'X' }, circle.facilitatorKey));
    expect(unknown.status).toBe(404);
    expect((await errorOf(unknown)).code).toBe('not_found');
    for (const body of [{ startsAt: clock.now() - MINUTE }, { timeZone: 'Nowhere/Special' }, { title: '' }, { durationMin: 5 }]) {
      const res = await api(path, json('PATCH', body, circle.facilitatorKey));
      expect(res.status).toBe(400);
      expect((await errorOf(res)).code).toBe('invalid');
    }
    expect((await errorOf(await api(path, json('PATCH', { startsAt: clock.now() - MINUTE }, circle.facilitatorKey)))).message).toMatch(/future/);
    // A malformed body is told only to the facilitator: without the key it is still 401.
    expect((await api(path, json('PATCH', { title: '' }))).status).toBe(401);
    expect((await api(path)).status).toBe(200);
    expect(await (await api(path)).json()).toMatchObject({ title: 'Evening circle' });
  });

  it('DELETE: 204, the circle and its secrets are gone, members are sent away with closed; 401/403/404', async () => {
    const circle = await schedule({ startsAt: inHours(0.1), listed: true });
    const path = `/api/circles/${circle.circleId}`;
    const host = await join(server.url, { circleId: circle.circleId, name: 'Host', facilitatorKey: circle.facilitatorKey });
    const guest = await join(server.url, { circleId: circle.circleId, name: 'Guest' });
    expect((await api(path, { method: 'DELETE' })).status).toBe(401);
    expect((await api(path, { method: 'DELETE', headers: { authorization: 'Bearer wrong' } })).status).toBe(403);
    const closedBoth = Promise.all([host, guest].map((m) => new Promise((resolve) => m.socket.once('disconnect', resolve))));
    const res = await api(path, { method: 'DELETE', headers: { authorization: `Bearer ${circle.facilitatorKey}` } });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    await closedBoth;
    expect(host.removed).toEqual([{ reason: 'closed' }]);
    expect(guest.removed).toEqual([{ reason: 'closed' }]);
    expect(await store.get(circle.circleId)).toBeNull();
    expect((await api(path)).status).toBe(404);
    expect((await api(`/c/${circle.circleId}/event.ics`)).status).toBe(404);
    expect(await joinError(server.url, { circleId: circle.circleId, name: 'Late', sessionToken: guest.welcome.sessionToken })).toBe('not_found');
    expect((await api(path, { method: 'DELETE', headers: { authorization: `Bearer ${circle.facilitatorKey}` } })).status).toBe(404);
  });
});

describe('gatherings: the public calendar', () => {
  it('lists upcoming listed circles soonest first; unlisted, unscheduled and ended ones are absent', async () => {
    const later = await schedule({ title: 'Later', startsAt: inHours(72), listed: true, template: 'conversation-cafe', question: 'What is enough?' });
    const soonerStartsAt = inHours(24);
    const sooner = await schedule({ title: 'Sooner', startsAt: soonerStartsAt, durationMin: 45, listed: true, timeZone: 'Asia/Tokyo' });
    const unlisted = await schedule({ title: 'Private', startsAt: inHours(30), listed: false });
    const unscheduled = await schedule({ title: 'Whenever', listed: true });
    const ending = await schedule({ title: 'Ending', startsAt: inHours(1), durationMin: 30, listed: true });

    const read = async () => calendarSchema.parse(await (await api('/api/calendar')).json()).circles;
    const ids = (entries: { circleId: string }[]) => entries.map((e) => e.circleId);
    const circles = await read();
    const mine = circles.filter((c) => [later, sooner, unlisted, unscheduled, ending].some((x) => x.circleId === c.circleId));
    expect(ids(mine)).toEqual([ending.circleId, sooner.circleId, later.circleId]);
    expect(mine[1]).toEqual({
      circleId: sooner.circleId, title: 'Sooner', question: null, startsAt: soonerStartsAt, durationMin: 45,
      description: null, timeZone: 'Asia/Tokyo', inviteUrl: `${ORIGIN}/c/${sooner.circleId}`, template: 'wtr-spiral',
    });
    expect(mine[2]).toMatchObject({ title: 'Later', question: 'What is enough?', durationMin: DEFAULT_DURATION_MIN, template: 'conversation-cafe' });
    for (let i = 1; i < circles.length; i++) expect(circles[i]!.startsAt).toBeGreaterThanOrEqual(circles[i - 1]!.startsAt);
    const text = JSON.stringify(circles);
    expect(text).not.toContain(later.facilitatorKey);

    // An unlisted circle made listed appears; the ended one is gone once its end has passed.
    await api(`/api/circles/${unlisted.circleId}`, json('PATCH', { listed: true }, unlisted.facilitatorKey));
    await clock.advance(HOUR + 30 * MINUTE + 1);
    const afterEnd = ids(await read());
    expect(afterEnd).toContain(unlisted.circleId);
    expect(afterEnd).not.toContain(ending.circleId);
    expect(afterEnd).not.toContain(unscheduled.circleId);
  });

  it('/calendar.ics: one VEVENT per listed upcoming circle, parsed back field by field', async () => {
    // iCalendar times are whole seconds: a start on the minute.
    const startsAt = Math.ceil(inHours(50) / MINUTE) * MINUTE;
    const listed = await schedule({ title: 'Grief and gratitude', question: 'What do you carry?', description: 'Bring a candle.\nAll welcome; no experience needed.', startsAt, durationMin: 120, listed: true });
    const unlisted = await schedule({ title: 'Not on the calendar', startsAt: inHours(51) });
    const res = await api('/calendar.ics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    const text = await res.text();
    expect(text).toMatch(/^BEGIN:VCALENDAR\r\n/);
    const { calendar, events } = parseIcs(text);
    expect(prop(calendar, 'version')).toBe('2.0');
    const event = events.find((e) => prop(e, 'url') === `${ORIGIN}/c/${listed.circleId}`)!;
    expect(event).toBeDefined();
    expect(prop(event, 'uid')).toBe(`${listed.circleId}@circles.example.org`);
    expect(prop(event, 'summary')).toBe('Grief and gratitude');
    expect(utcMs(event, 'dtstart')).toBe(startsAt);
    expect(utcMs(event, 'dtend')).toBe(startsAt + 120 * MINUTE);
    expect(prop(event, 'description')).toBe('What do you carry?\n\nBring a candle.\nAll welcome; no experience needed.');
    expect(events.some((e) => String(prop(e, 'url')).endsWith(unlisted.circleId))).toBe(false);
    expect(text).not.toContain(listed.facilitatorKey);
    // The UID is stable: the same on a second fetch and after an edit.
    await api(`/api/circles/${listed.circleId}`, json('PATCH', { title: 'Renamed' }, listed.facilitatorKey));
    const again = parseIcs(await (await api('/calendar.ics')).text()).events.find((e) => prop(e, 'uid') === `${listed.circleId}@circles.example.org`)!;
    expect(prop(again, 'summary')).toBe('Renamed');
  });

  it('/c/:circleId/event.ics: one circle, listed or not, in UTC (a New York evening); 404 for unknown or unscheduled', async () => {
    // 19:30 in New York on 10 March 2027 (EST, UTC−5) is 00:30 UTC on 11 March.
    const startsAt = Date.UTC(2027, 2, 11, 0, 30);
    const circle = await schedule({ title: 'New York evening', startsAt, durationMin: 90, timeZone: 'America/New_York' });
    const res = await api(`/c/${circle.circleId}/event.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    const text = await res.text();
    expect(text).toContain('DTSTART:20270311T003000Z');
    expect(text).toContain('DTEND:20270311T020000Z');
    const { events } = parseIcs(text);
    expect(events).toHaveLength(1);
    expect(utcMs(events[0]!, 'dtstart')).toBe(startsAt);
    expect(prop(events[0]!, 'summary')).toBe('New York evening');
    expect(prop(events[0]!, 'url')).toBe(`${ORIGIN}/c/${circle.circleId}`);
    expect(prop(events[0]!, 'uid')).toBe(`${circle.circleId}@circles.example.org`);

    const unknown = await api('/c/no-such-circle-here/event.ics');
    expect(unknown.status).toBe(404);
    const unscheduled = await createCircle(server.url, { title: 'Now' });
    const none = await api(`/c/${unscheduled.circleId}/event.ics`);
    expect(none.status).toBe(404);
    expect((await errorOf(none)).message).toMatch(/no date/);
  });
});

describe('gatherings: the joining window, over real sockets', () => {
  it('a newcomer is refused not_open until 15 minutes before the start; a facilitator and a returning member are not', async () => {
    const startsAt = inHours(2);
    const circle = await schedule({ startsAt });
    expect(await joinError(server.url, { circleId: circle.circleId, name: 'Early' })).toBe('not_open');
    const host = await join(server.url, { circleId: circle.circleId, name: 'Host', facilitatorKey: circle.facilitatorKey });
    // A wrong key is still bad_key (checked first), and the facilitator may come back any time.
    expect(await joinError(server.url, { circleId: circle.circleId, name: 'X', facilitatorKey: 'wrong' })).toBe('bad_key');
    host.close();
    const back = await join(server.url, { circleId: circle.circleId, name: 'Host', sessionToken: host.welcome.sessionToken });
    expect(back.welcome.participantId).toBe(host.welcome.participantId);

    await clock.advance(startsAt - JOIN_OPENS_BEFORE_MS - clock.now() - 1);
    expect(await joinError(server.url, { circleId: circle.circleId, name: 'Almost' })).toBe('not_open');
    await clock.advance(1);
    const guest = await join(server.url, { circleId: circle.circleId, name: 'On time' });
    expect(guest.latest().participants.map((p) => p.name)).toContain('On time');
    // Locked comes after the window: a locked open circle says locked.
    await back.send({ type: 'circle.lock', locked: true });
    expect(await joinError(server.url, { circleId: circle.circleId, name: 'Late' })).toBe('locked');
  });
});

describe('gatherings: retention', () => {
  it('the hourly sweep deletes ended circles and idle unscheduled ones, sending members away with closed', async () => {
    const ttlClock = createFakeClock(clock.now());
    const ttlStore = new MemoryCircleStore();
    const local = await startServer({ clock: ttlClock, store: ttlStore, config: { publicOrigin: ORIGIN, circleTtlDays: 2 } });
    try {
      const body = (extra: Record<string, unknown>) => ({ title: 'T', ...extra });
      const scheduled = await createCircle(local.url, body({ startsAt: ttlClock.now() + 3 * HOUR, durationMin: 60 }));
      const idle = await createCircle(local.url, body({}));
      const busy = await createCircle(local.url, body({}));
      const member = await join(local.url, { circleId: scheduled.circleId, name: 'Host', facilitatorKey: scheduled.facilitatorKey });

      // 4 h: the scheduled circle has ended (3 h + 60 min); the next hourly sweep takes it.
      await ttlClock.advance(4 * HOUR + MINUTE);
      await expect.poll(() => ttlStore.get(scheduled.circleId)).toBeNull();
      await new Promise<void>((resolve) => (member.removed.length > 0 ? resolve() : member.socket.once('circle:removed', () => resolve())));
      expect(member.removed).toEqual([{ reason: 'closed' }]);
      expect(await ttlStore.get(idle.circleId)).not.toBeNull();

      // A change keeps a circle alive: activeAt moves on.
      const keeper = await join(local.url, { circleId: busy.circleId, name: 'Keeper', facilitatorKey: busy.facilitatorKey });
      await ttlClock.advance(2 * DAY - 4 * HOUR);
      await expect.poll(() => ttlStore.get(idle.circleId)).toBeNull();
      expect(await ttlStore.get(busy.circleId)).not.toBeNull();
      keeper.close();
      await ttlClock.advance(2 * DAY + SWEEP_INTERVAL_MS);
      await expect.poll(() => ttlStore.get(busy.circleId)).toBeNull();
      expect((await fetch(`${local.url}/api/circles/${busy.circleId}`)).status).toBe(404);
    } finally {
      await local.close();
    }
  });

  it('sweeps at start-up: a store holding an ended circle loses it when the server starts', async () => {
    const startClock = createFakeClock(clock.now());
    const sharedStore = new MemoryCircleStore();
    const first = await startServer({ clock: startClock, store: sharedStore });
    const ended = await createCircle(first.url, { title: 'T', startsAt: startClock.now() + HOUR, durationMin: 15 });
    const kept = await createCircle(first.url, { title: 'T', startsAt: startClock.now() + 5 * HOUR });
    // Stop without closing the store (the next server uses it), then move past the first one's end.
    await new Promise<void>((resolve) => first.app.io.close(() => resolve()));
    await first.app.service.close();
    await startClock.advance(2 * HOUR);
    const second = await startServer({ clock: startClock, store: sharedStore });
    try {
      expect(await sharedStore.get(ended.circleId)).toBeNull();
      expect(await sharedStore.get(kept.circleId)).not.toBeNull();
    } finally {
      await second.close();
    }
  });
});

describe('gatherings: pages', () => {
  it('the single-page app still answers /c/:circleId and /calendar; the .ics routes are not swallowed by it', async () => {
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'spiral-dist-'));
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Spiral app</title>');
    const local = await startServer({ config: { publicOrigin: ORIGIN, clientDist: dist } });
    try {
      const circle = await createCircle(local.url, { title: 'T', startsAt: Date.now() + DAY, listed: true });
      for (const page of [`/c/${circle.circleId}`, '/calendar', '/']) {
        const res = await fetch(`${local.url}${page}`);
        expect(res.status, page).toBe(200);
        expect(await res.text()).toContain('Spiral app');
      }
      for (const ics of [`/c/${circle.circleId}/event.ics`, '/calendar.ics']) {
        const res = await fetch(`${local.url}${ics}`);
        expect(res.headers.get('content-type'), ics).toMatch(/^text\/calendar/);
        expect(await res.text()).toContain(circle.circleId);
      }
      expect((await fetch(`${local.url}/c/nope/event.ics`)).status).toBe(404);
    } finally {
      await local.close();
      fs.rmSync(dist, { recursive: true, force: true });
    }
  });
});
