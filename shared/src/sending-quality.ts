/**
 * Who sends what in a peer-to-peer circle. In a mesh every member uploads one copy of their video
 * per other member, so the uplink, not the downlink, is what runs out first. The piece decides:
 * the one who holds it (or a group's speaker) is sent large and sharp, everyone else as a
 * thumbnail, and each copy shrinks as the mesh grows so the whole stays inside a home uplink.
 * Beyond `sendersMax` members, the rest of a place receives only (see `p2pSenders`).
 *
 * Pure: the client applies it with `RTCRtpSender.setParameters`; the server uses `p2pSenders` and
 * `P2P_SEATS` to seat members.
 */
import { placeOf } from './breakouts.js';
import { P2P_SENDERS_DEFAULT } from './limits.js';
import type { CircleState } from './state.js';

/** How this member's video is sent: `featured` (holds the piece, or speaks in a group), `listener` (someone else is featured), `even` (nobody is: open mode, the piece in the centre). */
export type SendingRole = 'featured' | 'listener' | 'even';

export interface SendingQuality {
  /** Bits per second for one copy (one peer connection): `encodings[0].maxBitrate`. */
  maxBitrate: number;
  /** The widest picture sent (16:9); the sender scales its capture down to it. */
  maxWidth: number;
  maxFramerate: number;
}

interface RoleBudget {
  /** All the copies together, bits per second: what this role may take of a home uplink. */
  budget: number;
  /** One copy never gets more than this… */
  ceiling: number;
  /** …nor less (beyond that, the picture is not worth sending smaller). */
  floor: number;
  widthCap: number;
  maxFramerate: number;
}

/**
 * The budgets. A home uplink of a few Mbit/s: the featured member takes up to 3 Mbit/s of video
 * (1 280×720 at 1.2 Mbit/s to up to two peers, 480×270 to eleven), a listener up to 1 Mbit/s of
 * thumbnails (320×180 at 150 kbit/s, 90 kbit/s to eleven). The floors sit below budget / 23, so
 * the budgets hold even with a full place (12 senders and 12 receiving only).
 */
export const SENDING_BUDGETS: Readonly<Record<SendingRole, RoleBudget>> = Object.freeze({
  featured: { budget: 3_000_000, ceiling: 1_200_000, floor: 120_000, widthCap: 1280, maxFramerate: 30 },
  listener: { budget: 1_000_000, ceiling: 150_000, floor: 40_000, widthCap: 320, maxFramerate: 15 },
  even: { budget: 2_000_000, ceiling: 500_000, floor: 60_000, widthCap: 640, maxFramerate: 24 },
});

/** Picture widths by the bitrate that carries them well (16:9, VP8/H.264 at a talking-head's motion). */
const WIDTH_TIERS: readonly { minBitrate: number; width: number }[] = [
  { minBitrate: 1_000_000, width: 1280 },
  { minBitrate: 600_000, width: 960 },
  { minBitrate: 350_000, width: 640 },
  { minBitrate: 200_000, width: 480 },
  { minBitrate: 0, width: 320 },
];

/** The camera is asked for this much, so the featured member can be sent at full size. */
export const CAPTURE_SIZE = { width: 1280, height: 720, frameRate: 30 } as const;

/** What one copy of a member's video carries, given their role and how many peers receive it. */
export function sendingQuality(role: SendingRole, receivers: number): SendingQuality {
  const { budget, ceiling, floor, widthCap, maxFramerate } = SENDING_BUDGETS[role];
  const copies = Math.max(1, Math.floor(receivers));
  const maxBitrate = Math.floor(Math.min(ceiling, Math.max(floor, budget / copies)));
  const tier = WIDTH_TIERS.find((t) => maxBitrate >= t.minBitrate)!;
  return { maxBitrate, maxWidth: Math.min(widthCap, tier.width), maxFramerate };
}

/** `scaleResolutionDownBy` for a capture `captureWidth` wide: never below 1 (never scaled up). */
export function scaleDownBy(captureWidth: number, maxWidth: number): number {
  if (!(captureWidth > 0) || !(maxWidth > 0)) return 1;
  return Math.max(1, captureWidth / maxWidth);
}

/**
 * Who is featured in the place `participantId` is in: the piece's holder in the main circle (nobody
 * in open mode or with the piece in the centre), a group's speaker in a breakout group taking turns
 * (nobody in an open group).
 */
export function featuredIn(state: CircleState, participantId: string): string | null {
  const place = placeOf(state, participantId);
  if (place.kind === 'group') return state.breakouts?.mode === 'turns' ? place.group.speakerId : null;
  return state.piece.mode === 'open' ? null : state.piece.holderId;
}

/** This member's sending role now. */
export function sendingRole(state: CircleState, participantId: string): SendingRole {
  const featured = featuredIn(state, participantId);
  if (featured === null) return 'even';
  return featured === participantId ? 'featured' : 'listener';
}

/**
 * Peer-to-peer seats per place: up to `sendersMax` members send (the server's `P2P_MAX_PEERS`), and
 * as many again may join receiving only, seeing and hearing everyone without being sent. Beyond
 * that a place's session is full.
 */
export const P2P_SEATS = {
  /** The default `P2P_MAX_PEERS`: 12 senders fit a home uplink with `sendingQuality`. */
  sendersDefault: P2P_SENDERS_DEFAULT,
  /** Receive-only members a place may hold, per sender seat. */
  watchersPerSender: 1,
} as const;

/** How many members (senders and receive-only) a place's P2P session holds. */
export const p2pPlaceCapacity = (sendersMax: number): number => sendersMax * (1 + P2P_SEATS.watchersPerSender);

/**
 * Which members of a place's P2P session send their camera and microphone: the featured one first
 * (they must be seen and heard), then facilitators, then the others in the order they joined, up
 * to `sendersMax`. `peers` is the session's members in the order they joined (as the server lists
 * them); the rest receive only.
 */
export function p2pSenders(state: CircleState | null, peers: readonly string[], sendersMax: number): Set<string> {
  if (peers.length <= sendersMax || !state) return new Set(peers.slice(0, Math.max(0, sendersMax)));
  const present = new Set(peers);
  const first = peers[0]!;
  const featured = featuredIn(state, first);
  const rank = (id: string): number => {
    if (id === featured) return 0;
    return state.participants.find((p) => p.id === id)?.role === 'facilitator' ? 1 : 2;
  };
  const order = [...present].map((id, joined) => ({ id, joined, rank: rank(id) }));
  order.sort((a, b) => a.rank - b.rank || a.joined - b.joined);
  return new Set(order.slice(0, Math.max(0, sendersMax)).map((o) => o.id));
}

/** The `media.join` answer's extension (peer to peer): how many members of a place may send. */
export interface P2pSeating {
  /** Up to this many members of the place send; the others receive only (`p2pSenders`). */
  sendersMax?: number;
  /** Whether the member who joined receives only, as things stood when they joined. */
  receiveOnly?: boolean;
}
