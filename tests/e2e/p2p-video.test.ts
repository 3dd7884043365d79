/**
 * Peer-to-peer video on a fresh machine (no LiveKit): three Chromium contexts with fake devices hold
 * a real WebRTC call over loopback, and the talking piece decides whose audio is played.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { eventually as eventuallyWithin, FAKE_MEDIA_ARGS, joinAs, launchBrowser, newMember, screenshot, startSpiral, type Member, type SpiralServer, participantIdOnRing as participantId } from './browser.js';
import { peerStats, recordPeerConnections, type PeerStats } from './webrtc-stats.js';

/** Stats per remote member (see webrtc-stats.ts). */
const statsOn = async (page: Page): Promise<PeerStats> => (await peerStats(page)).stats;

/** WebRTC set-up takes longer than a page update: allow 20 s. */
const eventually = <T,>(read: () => Promise<T>, ok: (value: T) => boolean) => eventuallyWithin(read, ok, 20_000);

const decodingFrom = (stats: PeerStats, ids: string[]) => ids.every((id) => (stats[id]?.framesDecoded ?? 0) > 0);

describe('peer-to-peer video with an enforced talking piece', () => {
  let spiral: SpiralServer | undefined;
  let browser: Browser | undefined;
  let fran: Member;
  let ann: Member;
  let ben: Member;
  const ids: Record<string, string> = {};
  const firstFrameMs: number[] = [];

  beforeAll(async () => {
    spiral = await startSpiral();
    browser = await launchBrowser(FAKE_MEDIA_ARGS);
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await spiral?.close();
    if (firstFrameMs.length) console.log(`[p2p-video] time to first frame from every peer, counted from the last join (ms): ${firstFrameMs.map((n) => n.toFixed(0)).join(', ')}`);
  });

  it('every page decodes video frames from the other two', async () => {
    if (!browser || !spiral) throw new Error('setup failed');
    const created = (await (
      await fetch(`${spiral.origin}/api/circles`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Video circle', template: 'conversation-cafe' }) })
    ).json()) as { inviteUrl: string; facilitatorUrl: string };
    fran = await newMember(browser, 'Fran');
    ann = await newMember(browser, 'Ann');
    ben = await newMember(browser, 'Ben');
    for (const m of [fran, ann, ben]) await recordPeerConnections(m.page);
    await joinAs(fran, created.facilitatorUrl);
    await joinAs(ann, created.inviteUrl);
    await joinAs(ben, created.inviteUrl);
    for (const name of ['Fran', 'Ann', 'Ben']) ids[name] = await participantId(fran.page, name);
    expect(Object.values(ids).every(Boolean)).toBe(true);

    const everyone = [fran, ann, ben];
    const started = Date.now();
    // Video comes up with the circle: nobody clicks anything.
    for (const m of everyone) {
      const others = Object.entries(ids).filter(([name]) => name !== m.name).map(([, id]) => id);
      const stats = await eventually(() => statsOn(m.page), (s) => decodingFrom(s, others));
      firstFrameMs.push(Date.now() - started);
      expect(decodingFrom(stats, others), `${m.name} decodes frames from both others: ${JSON.stringify(stats)}`).toBe(true);
    }
    await screenshot(ben.page, 'circle-video-p2p');
    // Nobody holds the piece yet: only the facilitator may speak, and everyone's microphone starts off.
    await expect.poll(async () => (await statsOn(ann.page))[ids.Ben!]?.audible).toBe(false);
    expect((await statsOn(ann.page))[ids.Fran!]?.audible).toBe(true);
    await ann.page.getByRole('button', { name: 'Microphone off' }).waitFor();
    expect(await ann.page.getByText('Wait for the talking piece').isVisible()).toBe(true);
  });

  it("only the holder's audio is played on the others, and it follows the piece", async () => {
    // Fran takes the piece and passes it round: Ann (the next seat) holds it.
    await fran.page.getByRole('button', { name: 'Take the piece' }).click();
    await fran.page.getByRole('button', { name: 'Pass the piece' }).click();
    await ann.page.getByRole('button', { name: 'Unmute' }).click();
    await ann.page.getByRole('button', { name: 'Mute' }).waitFor();

    const onBen = await eventually(() => statsOn(ben.page), (s) => s[ids.Ann!]?.audible === true && (s[ids.Ann!]?.audioLevel ?? 0) > 0);
    expect(onBen[ids.Ann!]).toMatchObject({ audible: true });
    expect(onBen[ids.Ann!]!.audioLevel).toBeGreaterThan(0);
    const onFran = await statsOn(fran.page);
    expect(onFran[ids.Ann!]?.audible).toBe(true);
    expect(onFran[ids.Ben!]?.audible).toBe(false);

    // Ann passes to Ben: Ann's microphone goes off on her side at once and she is no longer played.
    await ann.page.getByRole('button', { name: 'Pass the piece' }).click();
    await ann.page.getByRole('button', { name: 'Microphone off' }).waitFor();
    const afterPass = await eventually(() => statsOn(fran.page), (s) => s[ids.Ann!]?.audible === false && s[ids.Ben!]?.audible === true);
    expect(afterPass[ids.Ann!]?.audible).toBe(false);
    expect(afterPass[ids.Ben!]?.audible).toBe(true);
    // The sender-side guard: Ann's disabled microphone sends only silence now.
    const silent = await eventually(() => statsOn(ben.page), (s) => (s[ids.Ann!]?.audioLevel ?? 1) < 0.001);
    expect(silent[ids.Ann!]!.audioLevel).toBeLessThan(0.001);
    expect(silent[ids.Ann!]!.audible).toBe(false);
  });

  it('a member who reloads reconnects their media', async () => {
    await ben.page.reload();
    await ben.page.getByRole('button', { name: /^(Raise|Lower) hand$/ }).waitFor();
    const back = await eventually(() => statsOn(ben.page), (s) => decodingFrom(s, [ids.Fran!, ids.Ann!]));
    expect(decodingFrom(back, [ids.Fran!, ids.Ann!])).toBe(true);
    const onFran = await eventually(() => statsOn(fran.page), (s) => decodingFrom(s, [ids.Ben!]) && s[ids.Ben!]?.audible === true);
    expect(onFran[ids.Ben!]?.audible).toBe(true); // Ben still holds the piece after the reload
  });
});
