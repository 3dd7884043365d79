/** A full-size circle (20 here, 30 as a list) stays readable: no two seats overlap on the ring. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { closeAllSockets, createCircle, join } from '../support/harness.js';
import { launchBrowser, newMember, screenshot, startSpiral, type SpiralServer } from './browser.js';

describe('a large circle', () => {
  let spiral: SpiralServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    spiral = await startSpiral();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    closeAllSockets();
    await browser?.close().catch(() => undefined);
    await spiral?.close();
  });

  it.each([
    [20, 1280],
    [30, 1280],
    [8, 360],
  ])('%i members at %i px wide: seats do not overlap', async (count, width) => {
    if (!browser || !spiral) throw new Error('setup failed');
    const circle = await createCircle(spiral.origin, { title: `Circle of ${count}` });
    const names = ['Christopher', 'Anastasia', 'Bo', 'Guadalupe', 'Maximilian', 'Yu', 'Oluwaseun', 'Ines'];
    // From several addresses: one address holds at most SEATS_PER_ADDRESS (10) seats in a circle.
    for (let i = 0; i < count - 1; i++) {
      await join(spiral.origin, { circleId: circle.circleId, name: `${names[i % names.length]} ${i + 1}` }, { 'x-forwarded-for': `192.0.2.${i + 1}` });
    }
    const host = await newMember(browser, 'Host', { viewport: { width, height: 900 } });
    await host.page.goto(circle.facilitatorUrl);
    await host.page.getByLabel('Your name').fill('Host');
    await host.page.getByRole('button', { name: 'Join', exact: true }).click();
    await host.page.locator('.ring__seats > li').nth(count - 1).waitFor();
    await screenshot(host.page, `circle-${count}-members-${width}`);
    const boxes = await host.page.locator('.ring__seats > li').evaluateAll((items) =>
      items.map((li) => {
        const r = li.getBoundingClientRect();
        return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
      }),
    );
    expect(boxes).toHaveLength(count);
    const overlaps = [];
    for (let a = 0; a < boxes.length; a++) {
      for (let b = a + 1; b < boxes.length; b++) {
        const p = boxes[a]!;
        const q = boxes[b]!;
        const x = Math.min(p.right, q.right) - Math.max(p.left, q.left);
        const y = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
        if (x > 1 && y > 1) overlaps.push([a, b]);
      }
    }
    expect(overlaps).toEqual([]);
    await host.context.close();
  });
});
