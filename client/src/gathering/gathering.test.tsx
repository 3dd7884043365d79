import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { HomePage } from '../pages/HomePage';
import { JoinPage } from '../pages/JoinPage';
import CalendarPage, { groupByDay } from '../pages/CalendarPage';
import { GatheringDialog } from './GatheringDialog';
import { countdownText } from './WhenCard';
import { checkSchedule } from './schedule';
import { epochToWallTime, formatTimeUntil, wallTimeToEpoch } from '../lib/time';
import type { CalendarEntry } from '@spiral/shared/http';

function mockFetch(handler: (url: string, init?: RequestInit) => { status: number; body?: unknown }) {
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const { status, body } = handler(String(input), init);
    return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fn);
  return fn;
}

const header = (init: RequestInit | undefined, name: string) => new Headers(init?.headers).get(name);

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
  window.history.replaceState(null, '', '/');
});

describe('wall time in a time zone', () => {
  it.each([
    ['America/New_York', '2030-07-01', '19:00', Date.UTC(2030, 6, 1, 23, 0)], // EDT, UTC−4
    ['America/New_York', '2030-01-15', '19:00', Date.UTC(2030, 0, 16, 0, 0)], // EST, UTC−5: the next day in UTC
    ['Europe/Berlin', '2030-01-15', '09:30', Date.UTC(2030, 0, 15, 8, 30)],
    ['Asia/Kolkata', '2030-05-02', '06:00', Date.UTC(2030, 4, 2, 0, 30)], // UTC+5:30
    ['Pacific/Auckland', '2030-12-31', '23:45', Date.UTC(2030, 11, 31, 10, 45)], // NZDT, UTC+13
    ['UTC', '2030-02-28', '00:00', Date.UTC(2030, 1, 28)],
  ])('%s %s %s', (zone, date, time, expected) => {
    expect(wallTimeToEpoch({ date, time }, zone)).toBe(expected);
    expect(epochToWallTime(expected, zone)).toEqual({ date, time });
  });

  it('moves a time the clock skips to just after the jump, and refuses a date that does not exist', () => {
    // Berlin springs from 02:00 to 03:00 on 31 March 2030: 02:30 does not happen; 03:30 CEST does.
    expect(wallTimeToEpoch({ date: '2030-03-31', time: '02:30' }, 'Europe/Berlin')).toBe(Date.UTC(2030, 2, 31, 1, 30));
    expect(wallTimeToEpoch({ date: '2030-02-30', time: '10:00' }, 'UTC')).toBeNull();
    expect(wallTimeToEpoch({ date: '', time: '10:00' }, 'UTC')).toBeNull();
  });

  it('checks the form as the protocol does: a future time, 15..600 minutes, a known zone', () => {
    const now = Date.UTC(2030, 0, 1);
    const draft = { date: '2030-01-02', time: '10:00', timeZone: 'Europe/Berlin', durationMin: '90', description: ' Bring tea ', listed: true };
    expect(checkSchedule(draft, now)).toEqual({
      ok: true,
      values: { startsAt: Date.UTC(2030, 0, 2, 9), durationMin: 90, description: 'Bring tea', listed: true, timeZone: 'Europe/Berlin' },
    });
    const bad = checkSchedule({ ...draft, date: '2029-12-31', durationMin: '700', timeZone: 'Mars/Olympus' }, now);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.errors).sort()).toEqual(['durationMin', 'timeZone']);
    const past = checkSchedule({ ...draft, date: '2029-12-31' }, now);
    expect(past.ok ? null : past.errors.time).toMatch(/future/);
    // Keeping the start as it stands is never "in the past" (editing a circle under way).
    expect(checkSchedule({ ...draft, date: '2029-12-31' }, now, Date.UTC(2029, 11, 31, 9)).ok).toBe(true);
  });
});

describe('the countdown in words', () => {
  const startsAt = Date.UTC(2030, 0, 1, 12);
  it.each([
    [2 * 3_600_000 + 10 * 60_000, 'Starts in 2 h 10 min'],
    [2 * 3_600_000 + 10 * 60_000 + 59_000, 'Starts in 2 h 10 min'],
    [3 * 3_600_000, 'Starts in 3 h'],
    [9 * 60_000, 'Starts in 9 min'],
    [30_000, 'Starts in less than a minute'],
    [26 * 3_600_000, 'Starts in 1 day 2 h'],
    [3 * 86_400_000 + 3_600_000, 'Starts in 3 days 1 h'],
    [-60_000, 'Under way now'],
    [-91 * 60_000, 'This circle has ended'],
  ])('%i ms before the start: %s', (before, text) => {
    expect(countdownText({ startsAt, durationMin: 90 }, startsAt - before)).toBe(text);
  });
  it('says days without hours', () => expect(formatTimeUntil(2 * 86_400_000)).toBe('2 days'));
});

describe('scheduling on the home page', () => {
  it('sends startsAt for the date and time in the chosen time zone, with the duration, description and listing', async () => {
    const fetchFn = mockFetch(() => ({
      status: 201,
      body: { circleId: 'abc', facilitatorKey: 'k3y', inviteUrl: 'http://x/c/abc', facilitatorUrl: 'http://x/c/abc#host=k3y' },
    }));
    render(<HomePage />);
    fireEvent.change(screen.getByLabelText('Circle title'), { target: { value: 'Spring equinox circle' } });
    fireEvent.click(screen.getByRole('radio', { name: /^Schedule/ }));
    fireEvent.change(screen.getByLabelText('Date'), { target: { value: '2030-03-15' } });
    fireEvent.change(screen.getByLabelText('Start time'), { target: { value: '18:30' } });
    fireEvent.change(screen.getByLabelText('Time zone'), { target: { value: 'America/New_York' } });
    fireEvent.change(screen.getByLabelText('Duration (minutes)'), { target: { value: '120' } });
    fireEvent.change(screen.getByLabelText(/^Description/), { target: { value: 'An evening of the spiral.' } });
    fireEvent.click(screen.getByRole('checkbox', { name: /List on the public calendar/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Schedule circle' }));
    await screen.findByRole('heading', { name: 'Your circle is ready' });
    const [url, init] = fetchFn.mock.calls[0] ?? [];
    expect(url).toBe('/api/circles');
    expect(JSON.parse(String(init?.body))).toEqual({
      title: 'Spring equinox circle',
      template: 'wtr-spiral',
      startsAt: Date.UTC(2030, 2, 15, 22, 30), // 18:30 EDT (from 10 March 2030) is 22:30 UTC
      durationMin: 120,
      description: 'An evening of the spiral.',
      listed: true,
      timeZone: 'America/New_York',
    });
    expect(screen.getByRole('link', { name: 'Add to calendar' }).getAttribute('href')).toBe('/c/abc/event.ics');
  });

  it('refuses a time in the past or a duration out of range before sending anything', () => {
    const fetchFn = mockFetch(() => ({ status: 500 }));
    render(<HomePage />);
    fireEvent.change(screen.getByLabelText('Circle title'), { target: { value: 'Too late' } });
    fireEvent.click(screen.getByRole('radio', { name: /^Schedule/ }));
    fireEvent.change(screen.getByLabelText('Date'), { target: { value: '2001-01-01' } });
    fireEvent.change(screen.getByLabelText('Duration (minutes)'), { target: { value: '5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Schedule circle' }));
    expect(fetchFn).not.toHaveBeenCalled();
    expect(screen.getByText('Choose a time in the future.')).toBeTruthy();
    expect(screen.getByText(/A whole number of minutes from 15 to 600/)).toBeTruthy();
    expect(screen.getByLabelText('Start time').getAttribute('aria-invalid')).toBe('true');
  });

  it('links to the public calendar', () => {
    render(<HomePage />);
    expect(screen.getByRole('link', { name: /public calendar/ }).getAttribute('href')).toBe('/calendar');
  });
});

describe('the invite page before the start', () => {
  const now = Date.UTC(2030, 5, 1, 10, 0);
  const summary = (startsAt: number) => ({
    circleId: 'abc',
    title: 'Dawn circle',
    stage: 'gratitude',
    participantCount: 0,
    locked: false,
    question: 'What do we love?',
    startsAt,
    durationMin: 90,
    description: 'Bring a candle.',
    timeZone: 'Asia/Tokyo',
    listed: true,
  });

  it('counts down, offers "Add to calendar", and keeps Join closed until 15 minutes before', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(now);
    mockFetch(() => ({ status: 200, body: summary(now + 2 * 3_600_000 + 10 * 60_000) }));
    const onJoin = vi.fn();
    render(<JoinPage circleId="abc" asFacilitator={false} onJoin={onJoin} />);
    await screen.findByRole('heading', { name: 'Dawn circle' });
    expect(screen.getByRole('timer').textContent).toBe('Starts in 2 h 10 min');
    expect(screen.getByText('Bring a candle.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Add to calendar' }).getAttribute('href')).toBe('/c/abc/event.ics');
    const join = screen.getByRole('button', { name: 'Join' }) as HTMLButtonElement;
    expect(join.disabled).toBe(true);
    expect(join.getAttribute('aria-describedby')).toBe('join-closed');
    expect(screen.getByText(/Joining opens at .*15 minutes before the start/)).toBeTruthy();
    // 14 minutes and a bit before the start: the door opens by itself.
    vi.setSystemTime(now + 2 * 3_600_000 + 10 * 60_000 - 14 * 60_000);
    await waitFor(() => expect(join.disabled).toBe(false), { timeout: 2_500 });
    expect(screen.getByRole('timer').textContent).toBe('Starts in 14 min');
    fireEvent.change(screen.getByLabelText('Your name'), { target: { value: 'Rosa' } });
    fireEvent.click(join);
    expect(onJoin).toHaveBeenCalledWith('Rosa');
  });

  it('lets the facilitator in any time, and shows the host’s time when their zone’s clock differs', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(now);
    mockFetch(() => ({ status: 200, body: summary(now + 5 * 86_400_000) }));
    render(<JoinPage circleId="abc" asFacilitator facilitatorKey="k3y" onJoin={() => {}} />);
    await screen.findByRole('heading', { name: 'Dawn circle' });
    expect((screen.getByRole('button', { name: 'Join' }) as HTMLButtonElement).disabled).toBe(false);
    expect(screen.getByText(/may enter any time/)).toBeTruthy();
    expect(screen.getByText(/for the host \(Tokyo\)/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Edit or delete…' })).toBeTruthy();
  });
});

describe('the Schedule… dialog', () => {
  const circle = {
    title: 'Dawn circle',
    question: '',
    startsAt: Date.UTC(2030, 5, 1, 10),
    durationMin: 90,
    description: '',
    listed: false,
    timeZone: 'Europe/Berlin',
  };

  it('sends only what changed, with the facilitator key as Bearer', async () => {
    const fetchFn = mockFetch(() => ({ status: 200, body: { circleId: 'abc', title: 'Dusk circle', stage: 'gratitude', participantCount: 0, locked: false } }));
    const onSaved = vi.fn();
    const onClose = vi.fn();
    render(<GatheringDialog circleId="abc" facilitatorKey="k3y" circle={circle} onClose={onClose} onSaved={onSaved} onDeleted={() => {}} />);
    const dialog = screen.getByRole('dialog', { name: 'Schedule and details' });
    fireEvent.change(within(dialog).getByLabelText('Circle title'), { target: { value: 'Dusk circle' } });
    fireEvent.change(within(dialog).getByLabelText('Start time'), { target: { value: '20:00' } });
    fireEvent.click(within(dialog).getByRole('checkbox', { name: /List on the public calendar/ }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    const [url, init] = fetchFn.mock.calls[0] ?? [];
    expect(url).toBe('/api/circles/abc');
    expect(init?.method).toBe('PATCH');
    expect(header(init, 'authorization')).toBe('Bearer k3y');
    expect(JSON.parse(String(init?.body))).toEqual({ title: 'Dusk circle', startsAt: Date.UTC(2030, 5, 1, 18), listed: true });
    expect(onClose).toHaveBeenCalled();
  });

  it('deletes after a confirmation, with the Bearer key, and says when the key is refused', async () => {
    let status = 403;
    const fetchFn = mockFetch(() => (status === 204 ? { status } : { status, body: { error: { code: 'forbidden', message: 'wrong key' } } }));
    const onDeleted = vi.fn();
    render(<GatheringDialog circleId="abc" facilitatorKey="k3y" circle={circle} onClose={() => {}} onDeleted={onDeleted} />);
    fireEvent.click(screen.getByRole('button', { name: 'Delete circle…' }));
    expect(fetchFn).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Delete for everyone' }));
    await screen.findByText(/facilitator key is not accepted/);
    expect(onDeleted).not.toHaveBeenCalled();
    status = 204;
    fireEvent.click(screen.getByRole('button', { name: 'Delete circle…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete for everyone' }));
    await waitFor(() => expect(onDeleted).toHaveBeenCalled());
    const [url, init] = fetchFn.mock.calls[1] ?? [];
    expect(url).toBe('/api/circles/abc');
    expect(init?.method).toBe('DELETE');
    expect(header(init, 'authorization')).toBe('Bearer k3y');
  });

  it('closes on Escape', () => {
    const onClose = vi.fn();
    render(<GatheringDialog circleId="abc" facilitatorKey="k3y" circle={circle} onClose={onClose} onDeleted={() => {}} />);
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(onClose).toHaveBeenCalled();
  });
});

describe('the public calendar', () => {
  const entry = (circleId: string, startsAt: number, template: CalendarEntry['template'], title = circleId): CalendarEntry => ({
    circleId,
    title,
    question: null,
    startsAt,
    durationMin: 60,
    description: null,
    timeZone: 'UTC',
    inviteUrl: `http://x/c/${circleId}`,
    template,
  });
  // 23:30 UTC on 1 June and 00:30 UTC on 2 June: one day in Los Angeles, two in Tokyo... and in UTC.
  const late = entry('late', Date.UTC(2030, 5, 1, 23, 30), 'conversation-cafe', 'Late café');
  const early = entry('early', Date.UTC(2030, 5, 2, 0, 30), 'wtr-spiral', 'Early spiral');
  const next = entry('next', Date.UTC(2030, 5, 3, 12), 'open', 'Open circle');

  it('groups by the day in the visitor’s time zone, soonest first', () => {
    const la = groupByDay([next, early, late], 'America/Los_Angeles');
    expect(la.map((d) => [d.key, d.circles.map((c) => c.circleId)])).toEqual([
      ['2030-06-01', ['late', 'early']],
      ['2030-06-03', ['next']],
    ]);
    const utc = groupByDay([next, early, late], 'UTC');
    expect(utc.map((d) => [d.key, d.circles.map((c) => c.circleId)])).toEqual([
      ['2030-06-01', ['late']],
      ['2030-06-02', ['early']],
      ['2030-06-03', ['next']],
    ]);
  });

  it('lists each circle with its invite link and "Add to calendar", filters by kind, and says when none is left', async () => {
    mockFetch(() => ({ status: 200, body: { circles: [late, early, next] } }));
    render(<CalendarPage />);
    await screen.findByRole('heading', { name: 'Late café' });
    expect(screen.getByRole('link', { name: /Subscribe/ }).getAttribute('href')).toBe('/calendar.ics');
    expect(screen.getByRole('link', { name: /Invite page\s*for Late café/ }).getAttribute('href')).toBe('http://x/c/late');
    expect(screen.getByRole('link', { name: /Add to calendar\s*:\s*Late café/ }).getAttribute('href')).toBe('/c/late/event.ics');
    expect(screen.getAllByRole('heading', { level: 3 })).toHaveLength(3);
    fireEvent.click(screen.getByRole('radio', { name: 'Conversation Café' }));
    expect(screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent)).toEqual(['Late café']);
    fireEvent.click(screen.getByRole('radio', { name: 'Work That Reconnects' }));
    expect(screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent)).toEqual(['Early spiral']);
    fireEvent.click(screen.getByRole('radio', { name: 'Open circles' }));
    expect(screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent)).toEqual(['Open circle']);
  });

  it('has an empty state and an error state with a retry', async () => {
    let fail = true;
    mockFetch(() => (fail ? { status: 500, body: { error: { code: 'internal', message: 'Boom.' } } } : { status: 200, body: { circles: [] } }));
    render(<CalendarPage />);
    expect(screen.getByRole('status').textContent).toMatch(/Loading/);
    await screen.findByRole('heading', { name: 'Could not load the calendar' });
    expect(screen.getByText('Boom.')).toBeTruthy();
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByRole('heading', { name: 'No circles are listed yet' });
  });
});
