/**
 * Gatherings in the browser: a facilitator in Berlin schedules a listed café three hours ahead; a
 * visitor in New York (a phone) sees the invite page count down with Join closed, finds the circle on
 * /calendar, and adds it to their calendar (the download is a valid .ics with the circle's UID and
 * start). The facilitator enters early, changes the schedule from the room, then deletes the circle.
 * Screenshots land in artifacts/; axe audits every screen.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, screenshot, seriousA11yViolations, startSpiral, type SpiralServer } from './browser.js';

const HOST_ZONE = 'Europe/Berlin';
const VISITOR_ZONE = 'America/New_York';

/** What a clock in `timeZone` shows at `ms`: `YYYY-MM-DD` and `HH:MM`. */
function wallTime(ms: number, timeZone: string): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(ms)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** `20300315T223000Z`, as iCalendar writes a UTC date-time. */
const icsUtc = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');

/** The page has no serious or critical axe finding. */
async function audit(page: Page, what: string): Promise<void> {
  const violations = await seriousA11yViolations(page);
  expect(violations, `${what}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
}

describe('gatherings: schedule, count down, the public calendar, add to calendar', () => {
  let spiral: SpiralServer | undefined;
  let browser: Browser | undefined;
  let host: { context: BrowserContext; page: Page };
  let visitor: { context: BrowserContext; page: Page };
  let circleId = '';
  let inviteUrl = '';
  // A whole minute three hours ahead: the countdown reads "2 h 59 min" or "3 h".
  const startsAt = Math.ceil((Date.now() + 3 * 3_600_000) / 60_000) * 60_000;

  beforeAll(async () => {
    spiral = await startSpiral();
    browser = await launchBrowser();
    const open = async (timezoneId: string, viewport: { width: number; height: number }) => {
      const context = await browser!.newContext({ timezoneId, viewport, acceptDownloads: true, locale: 'en-GB' });
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error(`[${timezoneId}] page error: ${error.message}`));
      return { context, page };
    };
    host = await open(HOST_ZONE, { width: 1280, height: 800 });
    visitor = await open(VISITOR_ZONE, { width: 390, height: 844 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await spiral?.close();
  });

  it('the facilitator schedules a listed café in their time zone', async () => {
    if (!spiral) throw new Error('setup failed');
    const { page } = host;
    await page.goto(`${spiral.origin}/`);
    await page.getByLabel('Circle title').fill('Equinox café');
    await page.getByRole('radio', { name: /Conversation Café/ }).check();
    await page.getByLabel(/^Question/).fill('What are we ready to carry forward?');
    await page.getByRole('radio', { name: /^Schedule/ }).check();
    expect(await page.getByLabel('Time zone').inputValue()).toBe(HOST_ZONE); // detected
    const wall = wallTime(startsAt, HOST_ZONE);
    await page.getByLabel('Date', { exact: true }).fill(wall.date);
    await page.getByLabel('Start time').fill(wall.time);
    await page.getByLabel('Duration (minutes)').fill('75');
    await page.getByLabel(/^Description/).fill('A gentle hour for anyone; bring a cup of something warm.');
    await page.getByRole('checkbox', { name: /List on the public calendar/ }).check();
    await screenshot(page, 'gatherings-1-schedule-1280');
    await audit(page, 'the scheduling form');
    await page.getByRole('button', { name: 'Schedule circle' }).click();
    await page.getByRole('heading', { name: 'Your circle is ready' }).waitFor();
    inviteUrl = await page.getByLabel(/^Invite link/).inputValue();
    circleId = inviteUrl.split('/c/')[1] ?? '';
    expect(circleId).not.toBe('');
    await screenshot(page, 'gatherings-2-ready-1280');
    await audit(page, 'the ready page');

    const summary = (await (await fetch(`${spiral.origin}/api/circles/${circleId}`)).json()) as Record<string, unknown>;
    expect(summary).toMatchObject({ startsAt, durationMin: 75, timeZone: HOST_ZONE, question: 'What are we ready to carry forward?' });
  });

  it('a visitor in another time zone sees the countdown, their local time and the host’s, and Join closed', async () => {
    const { page } = visitor;
    await page.goto(inviteUrl);
    await page.getByRole('heading', { name: 'Equinox café' }).waitFor();
    expect(await page.getByRole('timer').textContent()).toMatch(/^Starts in (2 h 59 min|3 h)$/);
    const localClock = new Intl.DateTimeFormat('en-GB', { timeZone: VISITOR_ZONE, hour: 'numeric', minute: '2-digit' }).format(startsAt);
    expect(await page.locator('.when__date').textContent()).toContain(localClock);
    expect(await page.locator('.when__other').textContent()).toMatch(/for the host \(Berlin\)/);
    expect(await page.getByRole('button', { name: 'Join', exact: true }).isDisabled()).toBe(true);
    expect(await page.locator('#join-closed').textContent()).toMatch(/Joining opens at .*15 minutes before the start/);
    await screenshot(page, 'gatherings-3-invite-countdown-390');
    await audit(page, 'the invite page before the start');
  });

  it('finds it on /calendar, filters by kind, and adds it to their calendar: a valid .ics', async () => {
    if (!spiral) throw new Error('setup failed');
    const { page } = visitor;
    await page.goto(`${spiral.origin}/`);
    await page.getByRole('link', { name: /public calendar/ }).click();
    await page.getByRole('heading', { name: 'Upcoming circles' }).waitFor();
    await page.getByRole('heading', { name: 'Equinox café', level: 3 }).waitFor();
    expect(await page.getByRole('link', { name: /Subscribe/ }).getAttribute('href')).toBe('/calendar.ics');
    await page.getByRole('radio', { name: 'Work That Reconnects' }).check();
    await page.getByRole('heading', { name: /No Work That Reconnects circles/ }).waitFor();
    await page.getByRole('radio', { name: 'Conversation Café' }).check();
    await page.getByRole('heading', { name: 'Equinox café', level: 3 }).waitFor();
    await screenshot(page, 'gatherings-4-calendar-390');
    await audit(page, 'the calendar page');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Add to calendar/ }).first().click()]);
    const file = await download.path();
    const ics = fs.readFileSync(file, 'utf8').replace(/\r\n[ \t]/g, ''); // unfold long lines
    expect(ics.startsWith('BEGIN:VCALENDAR')).toBe(true);
    expect(ics.trimEnd().endsWith('END:VCALENDAR')).toBe(true);
    const event = /BEGIN:VEVENT\r?\n([\s\S]*?)END:VEVENT/.exec(ics)?.[1] ?? '';
    expect(event).not.toBe('');
    const field = (name: string) => new RegExp(`^${name}(?:;[^:]*)?:(.*)$`, 'm').exec(event)?.[1]?.trim();
    expect(field('UID')).toMatch(new RegExp(`^${circleId}@`));
    expect(field('DTSTART')).toBe(icsUtc(startsAt));
    expect(field('DTEND')).toBe(icsUtc(startsAt + 75 * 60_000));
    expect(field('SUMMARY')).toBe('Equinox café');
    expect(field('URL')).toBe(inviteUrl);

    // The same event, with the same UID, is in the calendar to subscribe to.
    const feed = await (await fetch(`${spiral.origin}/calendar.ics`)).text();
    expect(feed).toContain(`UID:${field('UID')}`);

    await page.setViewportSize({ width: 1280, height: 800 });
    await screenshot(page, 'gatherings-5-calendar-1280');
  });

  it('the facilitator enters early, reschedules from the room, then deletes the circle', async () => {
    if (!spiral) throw new Error('setup failed');
    const { page } = host;
    await page.getByRole('button', { name: 'Enter as facilitator' }).click();
    await page.getByText(/may enter any time/).waitFor();
    await page.getByRole('button', { name: 'Edit or delete…' }).waitFor();
    await screenshot(page, 'gatherings-6-invite-facilitator-1280');
    await page.getByLabel('Your name').fill('Fran');
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await page.getByRole('button', { name: 'Schedule…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Schedule and details' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('Start time').inputValue()).toBe(wallTime(startsAt, HOST_ZONE).time);
    await dialog.getByLabel('Duration (minutes)').fill('90');
    await screenshot(page, 'gatherings-7-schedule-dialog-1280');
    await audit(page, 'the Schedule… dialog');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await dialog.waitFor({ state: 'detached' });
    const summary = (await (await fetch(`${spiral.origin}/api/circles/${circleId}`)).json()) as Record<string, unknown>;
    expect(summary.durationMin).toBe(90);
    expect(summary.startsAt).toBe(startsAt);

    await page.getByRole('button', { name: 'Schedule…' }).click();
    await dialog.getByRole('button', { name: 'Delete circle…' }).click();
    await dialog.getByRole('button', { name: 'Delete for everyone' }).click();
    await page.getByRole('heading', { name: 'This circle has been closed' }).waitFor();
    await screenshot(page, 'gatherings-8-closed-1280');
    expect((await fetch(`${spiral.origin}/api/circles/${circleId}`)).status).toBe(404);
    const calendar = (await (await fetch(`${spiral.origin}/api/calendar`)).json()) as { circles: { circleId: string }[] };
    expect(calendar.circles.map((c) => c.circleId)).not.toContain(circleId);
  });
});
