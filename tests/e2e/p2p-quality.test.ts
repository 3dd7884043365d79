/**
 * P2P quality that follows the piece, in real Chromium (fake camera): three members join and video
 * comes up with no click; the one who holds the piece is sent large and sharp, the others as
 * thumbnails (each page's own outbound `frameWidth` and bitrate, from `getStats`), and it switches
 * when the piece is passed. The closing note prints the measured figures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { freePort, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { eventually as eventuallyWithin, FAKE_MEDIA_ARGS, joinAs, launchBrowser, newMember, startSpiral, type Member, type SpiralServer, participantIdOnRing as participantId } from './browser.js';
import { peerStats, recordPeerConnections } from './webrtc-stats.js';

/** WebRTC set-up and bandwidth estimation take longer than a page update. */
const eventually = <T,>(read: () => Promise<T>, ok: (value: T) => boolean) => eventuallyWithin(read, ok, 30_000);

interface Outbound {
  /** The narrowest picture this page is sending to any peer now (0 when none). */
  minWidth: number;
  /** The widest. */
  maxWidth: number;
  /** Video bytes sent over all its peer connections, and when. */
  bytes: number;
  at: number;
  /** What the page asked of its video senders (`setParameters`). */
  maxBitrates: number[];
  links: number;
}

/** This page's own video as it leaves the browser: every open peer connection's outbound-rtp. */
const outbound = (page: Page): Promise<Outbound> =>
  page.evaluate(async () => {
    const all = (window as unknown as { __testPeerConnections?: RTCPeerConnection[] }).__testPeerConnections ?? [];
    const open = all.filter((pc) => pc.connectionState === 'connected');
    const widths: number[] = [];
    let bytes = 0;
    const maxBitrates: number[] = [];
    for (const pc of open) {
      (await pc.getStats()).forEach((entry: Record<string, unknown>) => {
        if (entry.type !== 'outbound-rtp' || entry.kind !== 'video') return;
        bytes += Number(entry.bytesSent ?? 0);
        if (typeof entry.frameWidth === 'number') widths.push(entry.frameWidth);
      });
      for (const sender of pc.getSenders()) {
        if (sender.track?.kind !== 'video') continue;
        const rate = sender.getParameters().encodings?.[0]?.maxBitrate;
        if (typeof rate === 'number') maxBitrates.push(rate);
      }
    }
    return { minWidth: widths.length ? Math.min(...widths) : 0, maxWidth: widths.length ? Math.max(...widths) : 0, bytes, at: performance.now(), maxBitrates, links: open.length };
  });

/** Outbound video bitrate (kbit/s per peer connection) over `ms`, from bytesSent deltas. */
async function bitratePerLink(page: Page, ms = 4_000): Promise<{ kbps: number; width: number }> {
  const first = await outbound(page);
  await page.waitForTimeout(ms);
  const second = await outbound(page);
  const kbps = ((second.bytes - first.bytes) * 8) / (second.at - first.at) / Math.max(1, second.links);
  return { kbps: Math.round(kbps), width: second.minWidth };
}

describe('P2P sending quality follows the talking piece', () => {
  let spiral: SpiralServer | undefined;
  let browser: Browser | undefined;
  let fran: Member;
  let ann: Member;
  let ben: Member;
  const ids: Record<string, string> = {};
  const figures: string[] = [];

  beforeAll(async () => {
    spiral = await startSpiral();
    browser = await launchBrowser(FAKE_MEDIA_ARGS);
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await spiral?.close();
    if (figures.length) console.log(`[p2p-quality] outbound video per peer connection, 3 members:\n  ${figures.join('\n  ')}`);
  });

  it('joining brings video up without a click; a remembered "camera on" skips the check', async () => {
    if (!browser || !spiral) throw new Error('setup failed');
    const created = (await (
      await fetch(`${spiral.origin}/api/circles`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Quality circle', template: 'conversation-cafe' }) })
    ).json()) as { inviteUrl: string; facilitatorUrl: string };
    fran = await newMember(browser, 'Fran');
    ann = await newMember(browser, 'Ann');
    ben = await newMember(browser, 'Ben');
    for (const m of [fran, ann, ben]) await recordPeerConnections(m.page);
    // Ben was here before: his check is answered, camera on.
    await ben.context.addInitScript(() => localStorage.setItem('spiral:media-prefs', JSON.stringify({ cameraOn: true, autoUnmute: false, checked: true })));

    // A first visit asks once, before the Join button.
    await ann.page.goto(created.inviteUrl);
    expect(await ann.page.getByRole('checkbox', { name: 'Camera on when I join' }).isChecked()).toBe(true);
    await ben.page.goto(created.inviteUrl);
    await ben.page.getByText('Your camera comes on when you join').waitFor();
    expect(await ben.page.getByRole('checkbox', { name: 'Camera on when I join' }).count()).toBe(0);

    await joinAs(fran, created.facilitatorUrl);
    await joinAs(ann, created.inviteUrl);
    await joinAs(ben, created.inviteUrl);
    for (const name of ['Fran', 'Ann', 'Ben']) ids[name] = await participantId(fran.page, name);
    // Nobody clicks anything: every page sends video to the two others and decodes theirs.
    for (const m of [fran, ann, ben]) {
      const others = Object.entries(ids).filter(([name]) => name !== m.name).map(([, id]) => id);
      const { stats } = await eventually(() => peerStats(m.page), (s) => others.every((id) => (s.stats[id]?.framesDecoded ?? 0) > 0));
      expect(others.every((id) => (stats[id]?.framesDecoded ?? 0) > 0), `${m.name} decodes both others: ${JSON.stringify(stats)}`).toBe(true);
    }
    expect(await ben.page.getByRole('button', { name: 'Turn on video' }).count()).toBe(0);
  });

  it("the holder's outbound video is larger than a listener's, and it switches after a pass", async () => {
    // Fran takes the piece and passes it round: Ann (the next seat) holds it.
    await fran.page.getByRole('button', { name: 'Take the piece' }).click();
    await fran.page.getByRole('button', { name: 'Pass the piece' }).click();
    await ann.page.getByRole('button', { name: 'Unmute' }).waitFor();

    const annSends = await eventually(() => outbound(ann.page), (o) => o.minWidth >= 640);
    const benSends = await eventually(() => outbound(ben.page), (o) => o.maxWidth > 0 && o.maxWidth <= 320);
    expect(annSends.minWidth, `Ann (holder) sends ${annSends.minWidth} wide`).toBeGreaterThan(benSends.maxWidth);
    expect(benSends.maxWidth, `Ben (listener) sends ${benSends.maxWidth} wide`).toBeLessThanOrEqual(320);
    expect(Math.min(...annSends.maxBitrates)).toBeGreaterThan(Math.max(...benSends.maxBitrates));
    const annRate = await bitratePerLink(ann.page);
    const benRate = await bitratePerLink(ben.page);
    figures.push(`Ann holds:  holder Ann ${annRate.width}px wide, ${annRate.kbps} kbit/s · listener Ben ${benRate.width}px, ${benRate.kbps} kbit/s (ratio ${(annRate.kbps / Math.max(1, benRate.kbps)).toFixed(1)}×)`);
    expect(annRate.kbps).toBeGreaterThan(benRate.kbps);

    // Ann passes to Ben: now Ben is sent large and Ann as a thumbnail.
    await ann.page.getByRole('button', { name: 'Pass the piece' }).click();
    await ben.page.getByRole('button', { name: 'Unmute' }).waitFor();
    const benHolds = await eventually(() => outbound(ben.page), (o) => o.minWidth >= 640);
    const annListens = await eventually(() => outbound(ann.page), (o) => o.maxWidth > 0 && o.maxWidth <= 320);
    expect(benHolds.minWidth).toBeGreaterThan(annListens.maxWidth);
    expect(annListens.maxWidth).toBeLessThanOrEqual(320);
    const benRate2 = await bitratePerLink(ben.page);
    const annRate2 = await bitratePerLink(ann.page);
    figures.push(`Ben holds:  holder Ben ${benRate2.width}px wide, ${benRate2.kbps} kbit/s · listener Ann ${annRate2.width}px, ${annRate2.kbps} kbit/s (ratio ${(benRate2.kbps / Math.max(1, annRate2.kbps)).toFixed(1)}×)`);
    expect(benRate2.kbps).toBeGreaterThan(annRate2.kbps);
  });
});

describe('beyond P2P_MAX_PEERS a newcomer sees and hears everyone, and is sent when the piece comes to them', () => {
  let server: ServerProcess | undefined;
  let dataDir = '';
  let browser: Browser | undefined;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiral-e2e-'));
    const port = await freePort();
    server = await startServerProcess({ DATA_DIR: dataDir, PUBLIC_ORIGIN: `http://127.0.0.1:${port}`, LOG_LEVEL: 'warn', P2P_MAX_PEERS: '2' }, port);
    browser = await launchBrowser(FAKE_MEDIA_ARGS);
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('the third of two senders receives video but sends none, told so in words for people', async () => {
    if (!browser || !server) throw new Error('setup failed');
    const created = (await (
      await fetch(`${server.url}/api/circles`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Small mesh', template: 'conversation-cafe' }) })
    ).json()) as { inviteUrl: string; facilitatorUrl: string };
    const fran = await newMember(browser, 'Fran');
    const ann = await newMember(browser, 'Ann');
    const ben = await newMember(browser, 'Ben');
    for (const m of [fran, ann, ben]) await recordPeerConnections(m.page);
    await joinAs(fran, created.facilitatorUrl);
    await joinAs(ann, created.inviteUrl);
    const fid = await participantId(ann.page, 'Fran');
    await eventually(() => peerStats(ann.page), (s) => (s.stats[fid]?.framesDecoded ?? 0) > 0);
    await joinAs(ben, created.inviteUrl);
    const aid = await participantId(ben.page, 'Ann');
    const bid = await participantId(ben.page, 'Ben');

    const seen = await eventually(() => peerStats(ben.page), (s) => (s.stats[fid]?.framesDecoded ?? 0) > 0 && (s.stats[aid]?.framesDecoded ?? 0) > 0);
    expect(seen.stats[fid]!.framesDecoded, 'Ben decodes Fran').toBeGreaterThan(0);
    expect(seen.stats[aid]!.framesDecoded, 'Ben decodes Ann').toBeGreaterThan(0);
    await ben.page.getByText(/larger than a direct call can carry, so you can see and hear everyone/).waitFor();
    const benOut = await outbound(ben.page);
    expect(benOut.links).toBe(2);
    expect(benOut.bytes, 'Ben sends no video').toBe(0);
    const onFran = await peerStats(fran.page);
    expect(onFran.stats[bid]?.framesDecoded ?? 0, 'Fran receives nothing from Ben').toBe(0);

    // The piece comes to Ben: the holder always sends (Ann, the last to join of the others, now receives only).
    await fran.page.getByRole('button', { name: 'Take the piece' }).click();
    await fran.page.getByRole('button', { name: 'Pass the piece' }).click(); // to Ann, the next seat
    await ann.page.getByRole('button', { name: 'Pass the piece' }).click(); // to Ben
    await ben.page.getByRole('button', { name: 'Unmute' }).waitFor();
    const sent = await eventually(() => peerStats(fran.page), (s) => (s.stats[bid]?.framesDecoded ?? 0) > 0);
    expect(sent.stats[bid]!.framesDecoded, 'Fran decodes Ben once he holds the piece').toBeGreaterThan(0);
    await ann.page.getByText(/larger than a direct call can carry/).waitFor();
    const annOut = await eventually(() => outbound(ann.page), (o) => o.maxBitrates.length === 0);
    expect(annOut.maxBitrates, 'Ann sends no video track now').toEqual([]);
  });
});
