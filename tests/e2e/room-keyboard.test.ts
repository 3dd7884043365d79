/**
 * The room by keyboard and screen reader (issue #11, point 6), in Chromium: focus lands on the room
 * after joining and on a seat's actions after choosing the seat; Tab goes round the seats in seat
 * order, then to the holder's Pass; single-key shortcuts for hand, pass and bell, listed under "?",
 * and switched off there (remembered); the live region says when people join and leave, hands go up,
 * a timer starts and a speaker's time ends; the Sounds switch; axe clean with the help dialog open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { closeAllSockets, createCircle, join, type Member as SocketMember } from '../support/harness.js';
import { eventually, FAKE_MEDIA_ARGS, joinAs, launchBrowser, newMember, screenshot, seriousA11yViolations, startSpiral, type Member, type SpiralServer } from './browser.js';

const announcer = (page: Page) => page.getByTestId('announcer').textContent().then((t) => t ?? '');
/** Every text the live region has said since `watch` was called. */
async function watchAnnouncements(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __said: string[] };
    w.__said = [];
    const el = document.querySelector('[data-testid="announcer"]')!;
    new MutationObserver(() => w.__said.push(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
  });
}
const said = (page: Page) => page.evaluate(() => (window as unknown as { __said: string[] }).__said.join(' | '));
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { id: el?.id ?? '', text: (el?.getAttribute('aria-label') ?? el?.textContent ?? '').trim(), seat: el?.closest('[data-seat]')?.getAttribute('data-seat') ?? null };
  });

describe('the room by keyboard and screen reader', () => {
  let spiral: SpiralServer | undefined;
  let browser: Browser | undefined;
  let host: Member;
  let cohost: SocketMember;
  let ben: SocketMember;
  let circle: Awaited<ReturnType<typeof createCircle>>;

  beforeAll(async () => {
    spiral = await startSpiral();
    // A fake camera and microphone: the holder's M shortcut needs a microphone to switch.
    browser = await launchBrowser(FAKE_MEDIA_ARGS);
    circle = await createCircle(spiral.origin, { title: 'Keyboard circle' });
    host = await newMember(browser, 'Host', { viewport: { width: 1280, height: 800 } });
    await joinAs(host, circle.facilitatorUrl);
  });

  afterAll(async () => {
    closeAllSockets();
    await browser?.close().catch(() => undefined);
    await spiral?.close();
  });

  it('puts focus on the room after joining', async () => {
    await eventually(() => focused(host.page), (f) => f.id === 'room');
    expect((await focused(host.page)).id).toBe('room');
  });

  it('announces people joining and leaving, and (to a facilitator) each raised hand', async () => {
    if (!spiral) throw new Error('setup failed');
    await watchAnnouncements(host.page);
    // Joining back to back: changes that come together are said together, none replaced unheard.
    ben = await join(spiral.origin, { circleId: circle.circleId, name: 'Ben' }, { 'x-forwarded-for': '198.51.100.20' });
    cohost = await join(spiral.origin, { circleId: circle.circleId, name: 'Cora', facilitatorKey: circle.facilitatorKey }, { 'x-forwarded-for': '198.51.100.21' });
    const dana = await join(spiral.origin, { circleId: circle.circleId, name: 'Dana' }, { 'x-forwarded-for': '198.51.100.22' });
    await eventually(() => said(host.page), (t) => t.includes('Dana joined the circle.'));
    await ben.send({ type: 'hand.raise' });
    await eventually(() => said(host.page), (t) => t.includes('Ben raised a hand.'));
    dana.close();
    const words = await eventually(() => said(host.page), (t) => t.includes('Dana is away.'));
    expect(words).toContain('Ben joined the circle.');
    expect(words).toContain('Cora joined the circle.');
    expect(words).toContain('Ben raised a hand.');
    expect(words).toContain('Dana is away.');
  });

  it('moves focus to a seat’s actions when the seat is chosen, and back with Escape', async () => {
    const page = host.page;
    await page.locator('[data-participant-id] .seat__button', { hasText: 'Ben' }).click();
    const first = await eventually(() => focused(page), (f) => f.text.startsWith('Give the piece to Ben'));
    expect(first.text).toBe('Give the piece to Ben');
    await page.keyboard.press('Escape');
    const back = await eventually(() => focused(page), (f) => f.seat !== null);
    expect(back.text).toContain('Ben');
    expect(await page.locator('#seat-actions').count()).toBe(0);
  });

  it('goes round the seats in seat order with Tab from the room, then to the holder’s Unmute and Pass', async () => {
    const page = host.page;
    await page.getByRole('button', { name: 'Take the piece' }).click();
    await page.getByTestId('piece-status').filter({ hasText: 'Host holds the talking piece' }).waitFor();
    await page.locator('#room').focus();
    const stops: ({ seat: string | null; text: string })[] = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      stops.push(await focused(page));
    }
    expect(stops.slice(0, 4).map((s) => s.seat)).toEqual(['1', '2', '3', '4']);
    // Video is on from joining: the holder's Unmute, then Pass, by the centre.
    expect(stops.slice(4).map((s) => s.text)).toEqual(['Unmute', 'Pass the piece']);
  });

  it('answers the shortcuts H, M, P and B; lists them under “?”; turns them off (remembered)', async () => {
    const page = host.page;
    await page.locator('#room').focus();
    await page.keyboard.press('h');
    await page.getByRole('button', { name: 'Lower hand' }).waitFor();
    await page.keyboard.press('h');
    await page.getByRole('button', { name: 'Raise hand' }).waitFor();
    // Typing in a field is typing.
    await page.getByLabel('Timer label (optional)').fill('h');
    expect(await page.getByRole('button', { name: 'Raise hand' }).count()).toBe(1);
    await page.locator('#room').focus();
    // M: the holder (video on from joining) unmutes and mutes again.
    await page.getByRole('button', { name: 'Unmute' }).waitFor({ timeout: 20_000 });
    await page.keyboard.press('m');
    await page.getByRole('button', { name: 'Mute', exact: true }).waitFor();
    await page.keyboard.press('m');
    await page.getByRole('button', { name: 'Unmute' }).waitFor();
    await page.keyboard.press('b');
    await cohost.waitFor((s) => s.bell !== null);
    await page.keyboard.press('p');
    await cohost.waitFor((s) => s.piece.holderId !== null && s.piece.holderId !== s.participants.find((p) => p.name === 'Host')?.id);

    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    for (const text of ['Raise or lower your hand', 'Pass the talking piece', 'Ring the bell once', 'Mute or unmute']) expect(await dialog.textContent()).toContain(text);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'room-keyboard-help-1280x800');
    const toggle = page.getByRole('switch', { name: 'Single-key shortcuts' });
    expect(await toggle.getAttribute('aria-checked')).toBe('true');
    await toggle.click();
    expect(await toggle.getAttribute('aria-checked')).toBe('false');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.locator('#room').focus();
    await page.keyboard.press('h');
    await page.waitForTimeout(500);
    expect(await page.getByRole('button', { name: 'Raise hand' }).count()).toBe(1);
    // Remembered on this device.
    await page.reload();
    await page.getByRole('button', { name: /^(Raise|Lower) hand$/ }).waitFor();
    await page.keyboard.press('?');
    expect(await page.getByRole('switch', { name: 'Single-key shortcuts' }).getAttribute('aria-checked')).toBe('false');
    await page.getByRole('switch', { name: 'Single-key shortcuts' }).click();
    await page.keyboard.press('Escape');
  });

  it('names toggles by what they do: a “Sounds” switch, “Gallery view” pressed or not', async () => {
    const page = host.page;
    const sounds = page.getByRole('switch', { name: 'Sounds' });
    expect(await sounds.getAttribute('aria-checked')).toBe('true');
    await sounds.click();
    expect(await sounds.getAttribute('aria-checked')).toBe('false');
    await sounds.click();
    expect(await page.getByRole('button', { name: 'Gallery view' }).getAttribute('aria-pressed')).toBe('false');
    expect(await page.getByRole('button', { name: 'Sounds off' }).count()).toBe(0);
  });

  it('announces a timer starting and the speaker’s time ending', async () => {
    const page = host.page;
    await watchAnnouncements(page);
    // A step with a 10 s turn and a 1 min timer, begun by the co-host.
    const set = await cohost.send({
      type: 'plan.set',
      steps: [{ title: 'Quick round', stage: 'gratitude', prompt: 'One word each.', mode: 'round', speakerTimeMs: 10_000, durationMs: 60_000, grouping: 'circle' }],
    });
    expect(set.ok).toBe(true);
    expect((await cohost.send({ type: 'plan.next' })).ok).toBe(true);
    await eventually(() => said(page), (t) => t.includes('Quick round: the shared timer started, 1 min.'));
    await page.getByRole('button', { name: 'Take the piece' }).click();
    const words = await eventually(() => said(page), (t) => t.includes('Your speaking time has ended.'), 20_000);
    expect(words).toContain('Quick round: the shared timer started, 1 min.');
    expect(words).toContain('A little time is left in your turn.');
    expect(words).toContain('Your speaking time has ended.');
    expect(await announcer(page)).not.toBe('');
  });
});
