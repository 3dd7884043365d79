/**
 * Open Sentences in pairs, end to end in the browser: a facilitator and four participants (P2P video
 * with fake devices; the facilitator's camera stays off to spare the two cores). A plan step in pairs
 * sends everyone into their pair's own video; only the pair's speaker is heard; "Swap all" moves the
 * right to speak; a word from the facilitator reaches both pairs; the recall brings everyone back to
 * the ring, with video.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { eventually as eventuallyWithin, FAKE_MEDIA_ARGS, joinAs, launchBrowser, newMember, screenshot, startSpiral, type Member, type SpiralServer } from './browser.js';
import { peerStats, recordPeerConnections } from './webrtc-stats.js';

/** WebRTC set-up takes longer than a page update. */
const eventually = <T,>(read: () => Promise<T>, ok: (value: T) => boolean) => eventuallyWithin(read, ok, 25_000);

/** The partner a page shows in its pair (the group view lists the others in the group). */
const partnerOf = (page: Page) => page.locator('.group-view__people li[data-participant-id]').first().getAttribute('data-participant-id');

describe('Open Sentences in pairs, with video', () => {
  let spiral: SpiralServer | undefined;
  let browser: Browser | undefined;
  let fran: Member;
  const people: Member[] = [];
  const ids = new Map<Member, string>();
  let openToVideoMs = 0;

  beforeAll(async () => {
    spiral = await startSpiral();
    browser = await launchBrowser(FAKE_MEDIA_ARGS);
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await spiral?.close();
    if (openToVideoMs) console.log(`[breakouts] from "Go" on a step in pairs to every member decoding their partner's video: ${openToVideoMs} ms`);
  });

  it('four people join with video on and see each other in the ring', async () => {
    if (!browser || !spiral) throw new Error('setup failed');
    const created = (await (
      await fetch(`${spiral.origin}/api/circles`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Gratitude morning', template: 'wtr-spiral' }) })
    ).json()) as { inviteUrl: string; facilitatorUrl: string };
    fran = await newMember(browser, 'Fran');
    // Fran left video in this circle before (spares the two cores): joining does not bring it up for her.
    const circleId = new URL(created.inviteUrl).pathname.split('/').pop()!;
    await fran.context.addInitScript((id: string) => localStorage.setItem(`spiral:media-on:${id}`, '0'), circleId);
    await joinAs(fran, created.facilitatorUrl);
    for (const name of ['Ann', 'Ben', 'Cara', 'Dev']) {
      const m = await newMember(browser, name);
      await recordPeerConnections(m.page);
      await joinAs(m, created.inviteUrl);
      people.push(m);
    }
    for (const m of people) {
      const id = await fran.page.locator('.ring__seats > li').filter({ hasText: m.name }).first().getAttribute('data-participant-id');
      ids.set(m, id ?? '');
    }
    // Video comes up with the circle: nobody clicks anything.
    for (const m of people) {
      const others = people.filter((o) => o !== m).map((o) => ids.get(o)!);
      const { stats } = await eventually(() => peerStats(m.page), (s) => others.every((id) => (s.stats[id]?.framesDecoded ?? 0) > 0));
      expect(others.every((id) => (stats[id]?.framesDecoded ?? 0) > 0), `${m.name} sees the three others`).toBe(true);
    }
  });

  it('the plan step in pairs opens the pairs: each page decodes video only from its partner', async () => {
    const started = Date.now();
    await fran.page.getByRole('button', { name: 'Go to this step: Open Sentences in pairs' }).click();
    const partners = new Map<Member, string>();
    for (const m of people) {
      await m.page.locator('.group-view').waitFor();
      partners.set(m, (await partnerOf(m.page)) ?? '');
    }
    // Pairs are mutual.
    for (const m of people) {
      const partner = people.find((o) => ids.get(o) === partners.get(m))!;
      expect(partners.get(partner), `${m.name}'s partner is paired with them`).toBe(ids.get(m));
    }
    for (const m of people) {
      const partner = partners.get(m)!;
      const seen = await eventually(() => peerStats(m.page), (s) => (s.stats[partner]?.framesDecoded ?? 0) > 0 && s.links === 1);
      expect(seen.stats[partner]!.framesDecoded, `${m.name} decodes their partner`).toBeGreaterThan(0);
      expect(seen.links, `${m.name} is connected to their partner only`).toBe(1);
    }
    openToVideoMs = Date.now() - started;
    await screenshot(people[0]!.page, 'breakouts-pair-member');
    await screenshot(fran.page, 'breakouts-facilitator-overview');

    // Only the speaker (A, the pair's first member) is heard: on the listener's page their audio plays,
    // on the speaker's page the listener's does not.
    for (const m of people) {
      const speaks = (await m.page.locator('.group-view__role').getAttribute('data-role')) === 'speak';
      const partner = partners.get(m)!;
      const { stats } = await eventually(() => peerStats(m.page), (s) => s.stats[partner]?.audible === !speaks);
      expect(stats[partner]?.audible, `${m.name} ${speaks ? 'speaks: the listener is not played' : 'listens: the speaker is played'}`).toBe(!speaks);
    }
  });

  it('"Swap all" moves the right to speak in both pairs', async () => {
    const before = new Map<Member, string | null>();
    for (const m of people) before.set(m, await m.page.locator('.group-view__role').getAttribute('data-role'));
    await fran.page.getByRole('button', { name: 'Swap all' }).click();
    for (const m of people) {
      const flipped = await eventually(() => m.page.locator('.group-view__role').getAttribute('data-role'), (role) => role !== before.get(m));
      expect(flipped).not.toBe(before.get(m));
      const speaks = flipped === 'speak';
      const partner = (await partnerOf(m.page))!;
      const { stats } = await eventually(() => peerStats(m.page), (s) => s.stats[partner]?.audible === !speaks);
      expect(stats[partner]?.audible).toBe(!speaks);
    }
  });

  it('a word from the facilitator reaches both pairs; the recall brings everyone back to the ring with video', async () => {
    await fran.page.getByLabel('A word to every group').fill('Take a minute to finish up.');
    await fran.page.getByRole('button', { name: 'Send to all groups' }).click();
    for (const m of people) await m.page.locator('.group-view__message-text', { hasText: 'Take a minute to finish up.' }).waitFor();

    await fran.page.getByRole('button', { name: 'Recall now' }).click();
    for (const m of people) {
      await m.page.locator('.ring__seats').waitFor();
      const others = people.filter((o) => o !== m).map((o) => ids.get(o)!);
      const { stats } = await eventually(() => peerStats(m.page), (s) => others.every((id) => (s.stats[id]?.framesDecoded ?? 0) > 0));
      expect(others.every((id) => (stats[id]?.framesDecoded ?? 0) > 0), `${m.name} sees the three others again`).toBe(true);
    }
    await screenshot(people[1]!.page, 'breakouts-after-recall');
  });
});
