/**
 * What the P2P sending rule (`shared/src/sending-quality.ts`) asks of each member's uplink, by mesh
 * size: the caps set with `RTCRtpSender.setParameters`, not a measurement (the browser test
 * `tests/e2e/p2p-quality.test.ts` measures real outbound video). Beside it, the baseline before the
 * rule: every copy at the featured quality (one size for everyone).
 *   node --import tsx bench/p2p-uplink.ts
 */
import { P2P_SEATS, sendingQuality, type SendingRole } from '../shared/src/sending-quality.js';

/** Opus at the browser's default, per copy, for the one who speaks (muted listeners send near-silence, left out). */
const AUDIO_BPS = 40_000;
const mbps = (bps: number) => (bps / 1_000_000).toFixed(2);

function uplink(role: SendingRole, receivers: number): { perCopy: string; total: number } {
  const q = sendingQuality(role, receivers);
  const audio = role === 'featured' ? AUDIO_BPS : 0;
  return { perCopy: `${q.maxWidth}px@${Math.round(q.maxBitrate / 1000)}k`, total: (q.maxBitrate + audio) * receivers };
}

const rows: string[][] = [['members', 'holder per copy', 'holder Mbit/s', 'listener per copy', 'listener Mbit/s', 'baseline Mbit/s', 'holder vs baseline', 'downlink Mbit/s']];
for (const members of [3, 4, 6, 8, 10, 12, 16, 24]) {
  const receivers = members - 1;
  const holder = uplink('featured', receivers);
  const listener = uplink('listener', receivers);
  // Before the rule: everyone sent one quality (the featured one's, uncapped by the mesh size).
  const baseline = (sendingQuality('featured', 1).maxBitrate + AUDIO_BPS) * receivers;
  const down = sendingQuality('featured', receivers).maxBitrate + Math.max(0, receivers - 1) * sendingQuality('listener', receivers).maxBitrate + AUDIO_BPS;
  rows.push([
    String(members) + (members > P2P_SEATS.sendersDefault ? ' (12 send)' : ''),
    holder.perCopy,
    mbps(holder.total),
    listener.perCopy,
    mbps(listener.total),
    mbps(baseline),
    `${(baseline / holder.total).toFixed(1)}× less`,
    mbps(down),
  ]);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
console.log('P2P uplink per member by the sending rule: video caps, plus ~40 kbit/s audio per copy for the holder (the rule\'s caps, not a measurement)');
for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
