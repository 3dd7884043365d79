/**
 * Issue 14: over plain http on a LAN name (not localhost), the page must render. Helmet's default
 * `upgrade-insecure-requests` made the browser fetch our own scripts over https: a blank page.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, startSpiral, type SpiralServer } from './browser.js';

const HOST = 'spiral.test';

describe('plain http on a LAN name', () => {
  let spiral: SpiralServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    spiral = await startSpiral({ publicHost: HOST });
    browser = await launchBrowser([`--host-resolver-rules=MAP ${HOST} 127.0.0.1`]);
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await spiral?.close();
  });

  it('renders the home page with its scripts', async () => {
    if (!browser || !spiral) throw new Error('setup failed');
    expect(spiral.origin).toMatch(/^http:\/\/spiral\.test:\d+$/);
    const page = await browser.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (request) => failed.push(request.url()));
    const scripts: string[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script' && response.ok()) scripts.push(response.url());
    });
    const response = await page.goto(`${spiral.origin}/`);
    await page.getByLabel('Circle title').waitFor({ state: 'visible', timeout: 10_000 });
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.every((url) => url.startsWith(`${spiral!.origin}/`))).toBe(true);
    expect(failed).toEqual([]);
    expect(response?.headers()['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(response?.headers()['strict-transport-security']).toBeUndefined();
    await page.close();
  }, 30_000);
});
