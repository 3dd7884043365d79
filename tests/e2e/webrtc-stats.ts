/**
 * The browser tests' own window on WebRTC (the app has no diagnostics hook): every RTCPeerConnection
 * a page creates is kept, and read back per remote member by the video each place shows.
 */
import type { Page } from 'playwright-core';

export type PeerStats = Record<string, { framesDecoded: number; audioLevel: number; audible: boolean }>;

/** Install before the app loads: keeps every RTCPeerConnection the page creates. */
export const recordPeerConnections = (page: Page) =>
  page.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    const created: RTCPeerConnection[] = [];
    class Recorded extends Native {
      constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
        super(...args);
        created.push(this);
      }
    }
    window.RTCPeerConnection = Recorded;
    Object.defineProperty(window, '__testPeerConnections', { value: created });
  });

/**
 * Per remote member shown on the page (a seat in the ring or a person in a group: any
 * `li[data-participant-id]` with a video), from the open peer connections: video frames decoded, the
 * received audio level, and whether their audio is played (the receiver-side guard enables the audio
 * track only then). `links` counts the connections still open.
 */
export const peerStats = (page: Page): Promise<{ stats: PeerStats; links: number }> =>
  page.evaluate(async () => {
    const all = (window as unknown as { __testPeerConnections?: RTCPeerConnection[] }).__testPeerConnections ?? [];
    const open = all.filter((pc) => pc.connectionState !== 'closed' && pc.connectionState !== 'failed');
    const stats: Record<string, { framesDecoded: number; audioLevel: number; audible: boolean }> = {};
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('li[data-participant-id]'))) {
      const shown = el.querySelector('video')?.srcObject;
      if (!(shown instanceof MediaStream)) continue;
      const tracks = new Set<MediaStreamTrack>(shown.getTracks());
      const pc = open.find((c) => c.getReceivers().some((r) => tracks.has(r.track)));
      if (!pc) continue;
      let audioLevel = 0;
      let framesDecoded = 0;
      (await pc.getStats()).forEach((entry: Record<string, unknown>) => {
        if (entry.type === 'inbound-rtp' && entry.kind === 'audio') audioLevel = Number(entry.audioLevel ?? 0);
        if (entry.type === 'inbound-rtp' && entry.kind === 'video') framesDecoded = Number(entry.framesDecoded ?? 0);
      });
      const audio = pc.getReceivers().find((r) => r.track.kind === 'audio');
      stats[el.dataset.participantId!] = { framesDecoded, audioLevel, audible: audio?.track.enabled ?? false };
    }
    return { stats, links: open.length };
  });
