/**
 * A whole Conversation Café in the browser, driven by accessible names as a facilitator and three
 * participants would: created with a question, the agreements, two rounds with the talking piece, a
 * bell every page strikes at the same moment, a silence, open dialogue, the final round, and a
 * gesture seen on the speaker's seat. Screenshots land in artifacts/; axe audits every screen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { eventually, joinAs, launchBrowser, newMember, screenshot, seriousA11yViolations, startSpiral, type Member, type SpiralServer } from './browser.js';

const QUESTION = 'What does a good life ask of us now?';
const stepHeading = (page: Page) => page.locator('#step-heading').textContent();
const holderName = (page: Page) => page.getByTestId('piece-status').textContent();

/** Reads the bell cue a page has scheduled: which bell, and when (the page's own Date.now() ms). */
const bellScheduled = (page: Page) =>
  page.getByTestId('bell-cue').evaluate((el: HTMLElement) => ({ id: Number(el.dataset.bellId ?? 0), at: Number(el.dataset.bellScheduledAt ?? 0) }));

describe('a Conversation Café from start to finish', () => {
  let spiral: SpiralServer | undefined;
  let browser: Browser | undefined;
  let fran: Member;
  let everyone: Member[] = [];
  const participants: Member[] = [];

  beforeAll(async () => {
    spiral = await startSpiral();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await spiral?.close();
  });

  /** Every page shows this step as the current one. */
  const allOnStep = async (title: string) => {
    for (const m of everyone) {
      const heading = await eventually(() => stepHeading(m.page), (text) => (text ?? '').includes(title) && !(text ?? '').includes('Up next'));
      expect(heading, m.name).toContain(title);
    }
  };

  it('the host creates a café with its question and enters; three people join from the invite link', async () => {
    if (!browser || !spiral) throw new Error('setup failed');
    fran = await newMember(browser, 'Fran');
    await fran.page.goto(`${spiral.origin}/`);
    await fran.page.getByLabel('Circle title').fill('Thursday café');
    await fran.page.getByRole('radio', { name: /Conversation Café/ }).check();
    await fran.page.getByLabel(/^Question/).fill(QUESTION);
    await fran.page.getByRole('button', { name: 'Create circle' }).click();
    await fran.page.getByRole('heading', { name: 'Your circle is ready' }).waitFor();
    const inviteUrl = await fran.page.getByLabel(/^Invite link/).inputValue();
    await fran.page.getByRole('button', { name: 'Enter as facilitator' }).click();
    await fran.page.getByLabel('Your name').fill('Fran');
    await fran.page.getByRole('button', { name: 'Join', exact: true }).click();
    await fran.page.getByRole('button', { name: /^Begin:/ }).waitFor();

    for (const name of ['Ann', 'Ben', 'Cara']) {
      const member = await newMember(browser, name, name === 'Cara' ? { viewport: { width: 390, height: 844 } } : {});
      await member.page.goto(inviteUrl);
      // The invite page carries the question, and speaks of a café, not of the spiral's stages.
      await member.page.getByText(QUESTION).first().waitFor();
      expect(await member.page.getByText(/Coming from Gratitude/).count()).toBe(0);
      if (name === 'Ann') {
        await screenshot(member.page, 'cafe-invite');
        expect(await seriousA11yViolations(member.page)).toEqual([]);
      }
      await joinAs(member, inviteUrl);
      participants.push(member);
    }
    everyone = [fran, ...participants];
    for (const m of everyone) {
      await m.page.getByText(QUESTION).first().waitFor();
      expect(await m.page.getByText('Coming from Gratitude').count(), m.name).toBe(0);
    }
    // The spiral's stages belong to wtr-spiral: a café host is not offered them either.
    expect(await fran.page.getByRole('button', { name: 'Advance stage' }).count()).toBe(0);
  });

  it('step 1, the agreements and the question: one click, every page follows', async () => {
    await fran.page.getByRole('button', { name: /^Begin: Agreements and the question/ }).click();
    await allOnStep('Agreements and the question');
    for (const m of everyone) await m.page.getByText(/^Open-mindedness/).first().waitFor();
    await screenshot(fran.page, 'cafe-step1-facilitator');
    await screenshot(participants[2]!.page, 'cafe-step1-phone');
    expect(await seriousA11yViolations(fran.page)).toEqual([]);
    expect(await seriousA11yViolations(participants[2]!.page)).toEqual([]);
  });

  it('rounds 1 and 2: the piece goes round the circle, each holder passes it on', async () => {
    for (const round of ['Round 1', 'Round 2']) {
      await fran.page.getByRole('button', { name: new RegExp(`^Next: ${round}`) }).click();
      await allOnStep(round);
      // From the centre the piece goes to the lowest seat (the host), then round the circle.
      await fran.page.getByRole('button', { name: 'Pass the piece' }).click();
      const order = [fran, ...participants];
      for (let i = 0; i < order.length; i++) {
        const holder = order[i]!;
        await holder.page.getByText('You hold the talking piece', { exact: false }).first().waitFor();
        if (i === order.length - 1) break;
        await holder.page.getByRole('button', { name: 'Pass the piece' }).click();
        const next = order[i + 1]!;
        for (const m of everyone) expect(await eventually(() => holderName(m.page), (t) => (t ?? '').includes(next.name))).toContain(next.name);
      }
      // The last holder lays the piece in the centre for the next step.
      await order[order.length - 1]!.page.getByRole('button', { name: 'Release the piece' }).click();
    }
    await screenshot(participants[0]!.page, 'cafe-round2-participant');
  });

  it('a bell: every page strikes it at the same moment (within 50 ms)', async () => {
    const before = await Promise.all(everyone.map((m) => bellScheduled(m.page)));
    await fran.page.getByRole('button', { name: 'Bell', exact: true }).click();
    const after = await Promise.all(
      everyone.map((m, i) => eventually(() => bellScheduled(m.page), (b) => b.id > before[i]!.id && b.at > 0)),
    );
    const ids = new Set(after.map((b) => b.id));
    expect(ids.size).toBe(1);
    // All pages run on this machine's clock, so their scheduled instants compare directly.
    const times = after.map((b) => b.at);
    const spread = Math.max(...times) - Math.min(...times);
    console.log(`[cafe] bell scheduled on ${times.length} pages, spread ${spread} ms`);
    expect(spread).toBeLessThanOrEqual(50);
  });

  it('silence: a calm overlay for everyone, ended by the host with a bell', async () => {
    await fran.page.getByRole('button', { name: 'Silence', exact: true }).click();
    for (const m of everyone) await m.page.getByTestId('silence-overlay').waitFor();
    await screenshot(participants[0]!.page, 'cafe-silence-participant');
    expect(await seriousA11yViolations(fran.page)).toEqual([]);
    const bellBefore = await bellScheduled(participants[0]!.page);
    await fran.page.getByRole('button', { name: 'End silence' }).click();
    for (const m of everyone) await m.page.getByTestId('silence-overlay').waitFor({ state: 'detached' });
    const bellAfter = await eventually(() => bellScheduled(participants[0]!.page), (b) => b.id > bellBefore.id);
    expect(bellAfter.id).toBeGreaterThan(bellBefore.id);
  });

  it('open dialogue, then the final round, where a gesture shows on the speaker\u2019s seat for everyone', async () => {
    await fran.page.getByRole('button', { name: /^Next: Open dialogue/ }).click();
    await allOnStep('Open dialogue');
    // Open dialogue has its own timer.
    await fran.page.getByRole('timer').first().waitFor();
    await fran.page.getByRole('button', { name: /^Next: Final round/ }).click();
    await allOnStep('Final round');
    await fran.page.getByRole('button', { name: 'Pass the piece' }).click();
    await fran.page.getByText('You hold the talking piece', { exact: false }).first().waitFor();
    await fran.page.getByRole('button', { name: 'Pass the piece' }).click();
    const ann = participants[0]!;
    await ann.page.getByText('You hold the talking piece', { exact: false }).first().waitFor();

    // Ben sends a heart: it floats on Ann's seat, the speaker's, on every page.
    const annId = await ann.page.locator('.ring__seats > li').filter({ hasText: 'Ann' }).first().getAttribute('data-participant-id');
    await participants[1]!.page.getByRole('button', { name: 'Send a heart' }).click();
    for (const m of everyone) {
      const onSeat = await eventually(
        () => m.page.locator(`.ring__seats > li[data-participant-id="${annId}"] .gesture-mark--heart`).count(),
        (n) => n > 0,
      );
      expect(onSeat, m.name).toBeGreaterThan(0);
    }
    await screenshot(fran.page, 'cafe-final-round-gesture');
    expect(await seriousA11yViolations(ann.page)).toEqual([]);
    // Past the last step there is no "Next".
    expect(await fran.page.getByRole('button', { name: /^Next:/ }).count()).toBe(0);
  });
});
