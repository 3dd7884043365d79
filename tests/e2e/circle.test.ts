import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { eventually, joinAs, launchBrowser, newMember, screenshot, seriousA11yViolations, startSpiral, timerReading, type Member, type SpiralServer } from './browser.js';


const stageHeading = (page: Page) => page.locator('#stage-heading').textContent();
const pieceStatus = (page: Page) => page.getByTestId('piece-status').textContent();
const queueNames = (page: Page) =>
  page.locator('.queue__list li').evaluateAll((items) => items.map((li) => (li.textContent ?? '').replace(' (you)', '')));
const seatOrder = (page: Page) =>
  page.locator('.ring__seats > li').evaluateAll((items) => items.map((li) => `${li.getAttribute('data-seat')}:${li.querySelector('.seat__name')?.firstChild?.textContent ?? ''}`));

const CARA_SKEW_MS = 90_000;

describe('the circle in the browser', () => {
  let spiral: SpiralServer | undefined;
  let browser: Browser | undefined;
  let inviteUrl = '';
  let fran: Member; // the facilitator
  let ann: Member;
  let ben: Member;
  let cara: Member;
  let everyone: Member[] = [];

  beforeAll(async () => {
    spiral = await startSpiral();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await spiral?.close();
  });

  it('lets a facilitator create a circle through the UI (home screenshots and audit)', async () => {
    if (!browser || !spiral) throw new Error('setup failed');
    fran = await newMember(browser, 'Fran');
    await fran.page.goto(`${spiral.origin}/`);
    await fran.page.getByLabel('Circle title').waitFor();
    await screenshot(fran.page, 'home-desktop');
    const phone = await newMember(browser, 'phone', { viewport: { width: 360, height: 780 } });
    await phone.page.goto(`${spiral.origin}/`);
    await phone.page.getByLabel('Circle title').waitFor();
    await screenshot(phone.page, 'home-360');
    expect(await seriousA11yViolations(fran.page)).toEqual([]);
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await phone.context.close();

    await fran.page.getByLabel('Circle title').fill('Spiral e2e circle');
    await fran.page.getByRole('button', { name: 'Create circle' }).click();
    await fran.page.getByRole('heading', { name: 'Your circle is ready' }).waitFor();
    inviteUrl = await fran.page.getByLabel(/^Invite link/).inputValue();
    const facilitatorUrl = await fran.page.getByLabel(/^Facilitator link/).inputValue();
    expect(inviteUrl).toMatch(new RegExp(`^${spiral.origin}/c/[A-Za-z0-9_-]{16,}$`));
    expect(facilitatorUrl.startsWith(`${inviteUrl}#host=`)).toBe(true);
    expect(await seriousA11yViolations(fran.page)).toEqual([]);

    await fran.page.getByRole('button', { name: 'Enter as facilitator' }).click();
    await fran.page.getByText('You will join as the facilitator.').waitFor();
    await fran.page.getByLabel('Your name').fill('Fran');
    await fran.page.getByRole('button', { name: 'Join', exact: true }).click();
    await fran.page.getByRole('button', { name: 'Advance stage' }).waitFor();
    expect(await stageHeading(fran.page)).toBe('Coming from Gratitude');
  });

  it('seats three participants who join from the invite link (join screenshots and audit)', async () => {
    if (!browser) throw new Error('setup failed');
    ann = await newMember(browser, 'Ann');
    ben = await newMember(browser, 'Ben');
    // Cara's phone has its clock 90 s fast: her countdown must still agree with everyone else's.
    cara = await newMember(browser, 'Cara', { viewport: { width: 360, height: 780 }, clockSkewMs: CARA_SKEW_MS });

    await ann.page.goto(inviteUrl);
    await ann.page.getByRole('heading', { name: 'Spiral e2e circle' }).waitFor();
    expect(await ann.page.getByText('1 person here').count()).toBe(1);
    await screenshot(ann.page, 'join-desktop');
    expect(await seriousA11yViolations(ann.page)).toEqual([]);
    await cara.page.goto(inviteUrl);
    await cara.page.getByRole('heading', { name: 'Spiral e2e circle' }).waitFor();
    await screenshot(cara.page, 'join-360');

    await joinAs(ann, inviteUrl);
    await joinAs(ben, inviteUrl);
    await joinAs(cara, inviteUrl);
    everyone = [fran, ann, ben, cara];

    // Participants get no facilitator controls at all.
    for (const m of [ann, ben, cara]) {
      expect(await m.page.getByRole('button', { name: 'Advance stage' }).count()).toBe(0);
      expect(await m.page.getByRole('heading', { name: 'Facilitator' }).count()).toBe(0);
    }
    // The same ring, in the same seat order, on every screen.
    const orders = await Promise.all(everyone.map((m) => eventually(() => seatOrder(m.page), (o) => o.length === 4)));
    for (const order of orders) expect(order).toEqual(orders[0]);
    expect(orders[0]?.map((s) => s.split(':')[1])).toEqual(['Fran', 'Ann', 'Ben', 'Cara']);
  });

  it('advances the stage on every page', async () => {
    await fran.page.getByRole('button', { name: 'Advance stage' }).click();
    for (const m of everyone) {
      expect(await eventually(() => stageHeading(m.page), (t) => t === 'Honoring our Pain for the World')).toBe('Honoring our Pain for the World');
      expect(await m.page.locator('.circle-screen').getAttribute('data-stage')).toBe('honoring-pain');
    }
    expect(await eventually(() => ann.page.getByTestId('announcer').textContent(), (t) => t?.includes('Honoring') ?? false)).toContain(
      'Stage: Honoring our Pain for the World.',
    );
  });

  it('passes the piece round the circle and releases it to the centre', async () => {
    await fran.page.getByRole('button', { name: 'Pass the piece' }).click(); // from the centre: the lowest seat, Fran
    for (const m of everyone) expect(await eventually(() => pieceStatus(m.page), (t) => t === 'Fran holds the talking piece')).toBe('Fran holds the talking piece');
    await fran.page.getByRole('button', { name: 'Pass the piece' }).click();
    for (const m of everyone) expect(await eventually(() => pieceStatus(m.page), (t) => t === 'Ann holds the talking piece')).toBe('Ann holds the talking piece');
    expect(await eventually(() => ann.page.getByTestId('announcer').textContent(), (t) => t?.includes('You hold') ?? false)).toContain('You hold the talking piece.');
    expect(await ben.page.getByRole('button', { name: 'Pass the piece' }).count()).toBe(0);

    await ann.page.getByRole('button', { name: 'Pass the piece' }).click();
    for (const m of everyone) expect(await eventually(() => pieceStatus(m.page), (t) => t === 'Ben holds the talking piece')).toBe('Ben holds the talking piece');
    await ben.page.getByRole('button', { name: 'Release the piece' }).click();
    for (const m of everyone) {
      expect(await eventually(() => pieceStatus(m.page), (t) => t === 'The talking piece lies in the centre')).toBe('The talking piece lies in the centre');
      expect(await m.page.locator('.piece').getAttribute('class')).toContain('piece--centre');
    }
  });

  it('keeps a popcorn queue in the same order on every page', async () => {
    await fran.page.getByRole('radio', { name: /^Popcorn/ }).click(); // checked once the server agrees
    await eventually(() => fran.page.getByRole('radio', { name: /^Popcorn/ }).isChecked(), Boolean);
    await cara.page.getByRole('button', { name: 'Raise hand' }).click();
    await cara.page.getByRole('button', { name: 'Lower hand' }).waitFor();
    await ann.page.getByRole('button', { name: 'Raise hand' }).click();
    for (const m of everyone) expect(await eventually(() => queueNames(m.page), (q) => q.length === 2)).toEqual(['Cara', 'Ann']);

    await fran.page.getByRole('button', { name: 'Pass the piece' }).click(); // the queue's head
    for (const m of everyone) {
      expect(await eventually(() => pieceStatus(m.page), (t) => t === 'Cara holds the talking piece')).toBe('Cara holds the talking piece');
      expect(await eventually(() => queueNames(m.page), (q) => q.length === 1)).toEqual(['Ann']);
    }
    await ann.page.getByRole('button', { name: 'Lower hand' }).click();
    for (const m of everyone) expect(await eventually(() => queueNames(m.page), (q) => q.length === 0)).toEqual([]);
  });

  it('starts and pauses the shared timer, showing the same time on every page', async () => {
    await fran.page.getByRole('button', { name: '5 min' }).click();
    await fran.page.getByRole('button', { name: 'Start timer' }).click();
    for (const m of everyone) expect((await eventually(() => timerReading(m.page), (r) => r.status === 'running')).status).toBe('running');

    // Read every page, then bring each reading to one instant of this machine's clock (undoing the
    // skew we gave Cara's page: her `data-at` is in her own, wrong, time).
    const readings = await Promise.all(everyone.map((m) => timerReading(m.page)));
    const realAt = readings.map((r, i) => r.at - (everyone[i] === cara ? CARA_SKEW_MS : 0));
    const t0 = Math.max(...realAt);
    const aligned = readings.map((r, i) => r.remainingMs - (t0 - (realAt[i] ?? t0)));
    const spread = Math.max(...aligned) - Math.min(...aligned);
    expect(spread).toBeLessThan(50);
    expect(Math.min(...aligned)).toBeGreaterThan(290_000);
    expect(Math.max(...aligned)).toBeLessThanOrEqual(300_000);

    await fran.page.getByRole('button', { name: 'Pause timer' }).click();
    const paused = await Promise.all(everyone.map((m) => eventually(() => timerReading(m.page), (r) => r.status === 'paused')));
    for (const r of paused) {
      expect(r.status).toBe('paused');
      expect(r.remainingMs).toBe(paused[0]?.remainingMs);
      expect(r.text).toBe(paused[0]?.text);
    }
    await fran.page.getByRole('button', { name: 'Resume timer' }).click();
    for (const m of everyone) expect((await eventually(() => timerReading(m.page), (r) => r.status === 'running')).status).toBe('running');
  });

  it('keeps a participant’s seat across a reload, without asking the name again', async () => {
    const before = await eventually(() => seatOrder(ben.page), (o) => o.length === 4);
    const mySeat = await ben.page.locator('.seat--me').getAttribute('data-participant-id');
    await ben.page.reload();
    await ben.page.getByRole('button', { name: /^(Raise|Lower) hand$/ }).waitFor();
    expect(await ben.page.getByLabel('Your name').count()).toBe(0);
    expect(await ben.page.locator('.seat--me').getAttribute('data-participant-id')).toBe(mySeat);
    expect(await seatOrder(ben.page)).toEqual(before);
    expect(await eventually(() => seatOrder(fran.page), (o) => o.length === 4)).toEqual(before);
    // Back "here" for everyone else.
    const benSeat = fran.page.locator(`.ring__seats > li[data-participant-id="${mySeat}"]`);
    expect(await eventually(() => benSeat.getAttribute('class'), (c) => c?.includes('seat--here') ?? false)).toContain('seat--here');
  });

  it('shows the circle accessibly at desktop size and 360 px (screenshots and audit)', async () => {
    await screenshot(fran.page, 'circle-desktop-facilitator');
    await screenshot(ann.page, 'circle-desktop');
    await screenshot(cara.page, 'circle-360');
    expect(await seriousA11yViolations(fran.page)).toEqual([]);
    expect(await seriousA11yViolations(cara.page)).toEqual([]);
    // Nothing overflows sideways on a phone, and the controls are within reach.
    expect(await cara.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    const raise = cara.page.getByRole('button', { name: /^(Raise|Lower) hand$/ });
    await raise.scrollIntoViewIfNeeded();
    const box = await raise.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 360).toBe(true);

    // The facilitator on a phone: every control still within the width.
    await fran.page.setViewportSize({ width: 360, height: 780 });
    await screenshot(fran.page, 'circle-360-facilitator');
    expect(await fran.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await seriousA11yViolations(fran.page)).toEqual([]);
    const advance = await fran.page.getByRole('button', { name: 'Advance stage' }).boundingBox();
    expect(advance && advance.x >= 0 && advance.x + advance.width <= 360).toBe(true);
    await fran.page.setViewportSize({ width: 1280, height: 900 });
  });

  it('shows "reconnecting…" while the server is away, then resumes every seat', async () => {
    if (!spiral) throw new Error('setup failed');
    const before = await seatOrder(fran.page);
    const stage = await stageHeading(fran.page);
    await spiral.stop();
    for (const m of everyone) await m.page.getByText('Reconnecting… your seat is kept for you.').waitFor();
    await spiral.start();
    for (const m of everyone) {
      await m.page.getByText('Reconnecting… your seat is kept for you.').waitFor({ state: 'detached', timeout: 15_000 });
      expect(await eventually(() => seatOrder(m.page), (o) => o.length === 4 && o.join() === before.join(), 10_000)).toEqual(before);
      expect(await stageHeading(m.page)).toBe(stage);
    }
    // Every seat is "here" again, and the facilitator is still the facilitator.
    expect(await eventually(() => fran.page.locator('.seat--away').count(), (n) => n === 0, 10_000)).toBe(0);
    expect(await fran.page.getByRole('button', { name: 'Advance stage' }).count()).toBe(1);
  });

  it('works by keyboard alone', async () => {
    const page = ben.page;
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    let reached = false;
    for (let i = 0; i < 40 && !reached; i += 1) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.textContent === 'Raise hand');
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    for (const m of everyone) expect(await eventually(() => queueNames(m.page), (q) => q.length === 1)).toEqual(['Ben']);
    await page.getByRole('button', { name: 'Lower hand' }).focus();
    await page.keyboard.press('Space');
    for (const m of everyone) expect(await eventually(() => queueNames(m.page), (q) => q.length === 0)).toEqual([]);
  });

  it('turns newcomers away from a locked circle, and tells a removed participant why', async () => {
    if (!browser) throw new Error('setup failed');
    await fran.page.getByRole('button', { name: 'Lock the circle' }).click();
    expect(await eventually(() => fran.page.getByRole('button', { name: 'Lock the circle' }).getAttribute('aria-pressed'), (v) => v === 'true')).toBe('true');
    const late = await newMember(browser, 'Late');
    await late.page.goto(inviteUrl);
    await late.page.getByRole('heading', { name: 'This circle is locked' }).waitFor();
    expect(await late.page.getByLabel('Your name').count()).toBe(0);
    await late.context.close();

    const annId = await ann.page.locator('.seat--me').getAttribute('data-participant-id');
    await fran.page.locator(`.ring__seats > li[data-participant-id="${annId}"] button`).click();
    await fran.page.getByRole('button', { name: 'Remove Ann…' }).click();
    await fran.page.getByRole('button', { name: 'Yes, remove Ann' }).click();
    await ann.page.getByRole('heading', { name: 'You have left this circle' }).waitFor();
    expect(await eventually(() => seatOrder(fran.page), (o) => o.length === 3)).not.toContain(expect.stringContaining(':Ann'));
    // Coming back with the same browser is refused with an explanation, not a join form.
    await ann.page.reload();
    await ann.page.getByRole('heading', { name: 'You have left this circle' }).waitFor();
    expect(await ann.page.getByLabel('Your name').count()).toBe(0);
  });
});
