/**
 * Where the seats of the ring go, and how large they and the centre's spotlight are, for a container
 * of a given size: pure, so it is tested without a browser and the browser test measures the result.
 *
 * The seats sit on an oval that fills the container (never more than 1.8 times wider than tall, or
 * taller than wide: it stays a ring), in seat order, clockwise. The largest seat width is chosen for
 * which no two seats overlap (with a gap) and the spotlight in the middle, clear of every seat, is at
 * least `minCentreRatio` of the ring's diameter (the smaller side of the box around all seats).
 */

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface SeatLayoutInput {
  width: number;
  height: number;
  count: number;
  /** Space between two seats, and between a seat and the spotlight (px). */
  gap?: number;
  /** The spotlight's width as a share of the ring's diameter, at least. */
  minCentreRatio?: number;
  /** Height under the spotlight's picture for the speaker's name, time and controls (px). */
  centreCaption?: number;
}

export interface SeatLayout {
  /** Each seat's box, in seat order, in px from the container's top left corner. */
  seats: Rect[];
  seatWidth: number;
  seatHeight: number;
  /** The height of the seat's picture (4:3); the rest of the seat is its name label. */
  tileHeight: number;
  /** The name label's height under the picture; 0 when seats are too small to carry it (initials only). */
  labelHeight: number;
  /** The spotlight in the middle, clear of every seat. */
  centre: Rect;
  /** The smaller side of the box around every seat. */
  ringDiameter: number;
  /** False only when even the smallest seats could not keep the spotlight large enough (it is then smaller). */
  centreFits: boolean;
}

const PAD = 4;
const MIN_SEAT = 20;
const MAX_SEAT = 260;
const ASPECT = 0.75;
const MAX_OVAL = 1.8;

/** The name label under a seat's picture: smaller seats carry a smaller one, the smallest none. */
export function labelHeightFor(seatWidth: number): number {
  if (seatWidth >= 96) return 22;
  if (seatWidth >= 56) return 16;
  return 0;
}

/**
 * Angles on the oval (rx, ry) at equal distances along it, starting at the top, `offset` steps round.
 * Distance is measured as boxes of w×h feel it (the larger of the steps across and down, each in seat
 * sizes), so neighbouring seats are equally far from touching all the way round.
 */
function evenAngles(count: number, rx: number, ry: number, offset: number, w: number, h: number): number[] {
  const SAMPLES = 720;
  const lengths = [0];
  let total = 0;
  const at = (t: number) => [rx * Math.cos(-Math.PI / 2 + t), ry * Math.sin(-Math.PI / 2 + t)] as const;
  let prev = at(0);
  for (let k = 1; k <= SAMPLES; k++) {
    const next = at((2 * Math.PI * k) / SAMPLES);
    total += Math.max(Math.abs(next[0] - prev[0]) / w, Math.abs(next[1] - prev[1]) / h);
    lengths.push(total);
    prev = next;
  }
  const angles: number[] = [];
  let k = 0;
  for (let i = 0; i < count; i++) {
    const want = (((i + offset) / count) % 1) * total;
    while (k < SAMPLES && lengths[k + 1]! < want) k++;
    const span = lengths[k + 1]! - lengths[k]!;
    const frac = span > 0 ? (want - lengths[k]!) / span : 0;
    angles.push(-Math.PI / 2 + (2 * Math.PI * (k + frac)) / SAMPLES);
  }
  return angles;
}

function seatBoxes(w: number, h: number, count: number, width: number, height: number, offset: number): Rect[] | null {
  let rx = width / 2 - w / 2 - PAD;
  let ry = height / 2 - h / 2 - PAD;
  if (rx <= 0 || ry <= 0) return null;
  rx = Math.min(rx, ry * MAX_OVAL);
  ry = Math.min(ry, rx * MAX_OVAL);
  return evenAngles(count, rx, ry, offset, w, h).map((angle) => {
    const x = width / 2 + rx * Math.cos(angle);
    const y = height / 2 + ry * Math.sin(angle);
    return { left: x - w / 2, top: y - h / 2, width: w, height: h };
  });
}

/** Two boxes closer than `gap` on both axes overlap. */
export function overlaps(a: Rect, b: Rect, gap = 0): boolean {
  return a.left < b.left + b.width + gap && b.left < a.left + a.width + gap && a.top < b.top + b.height + gap && b.top < a.top + a.height + gap;
}

function anyOverlap(boxes: readonly Rect[], gap: number): boolean {
  for (let a = 0; a < boxes.length; a++) for (let b = a + 1; b < boxes.length; b++) if (overlaps(boxes[a]!, boxes[b]!, gap)) return true;
  return false;
}

/** The widest spotlight (4:3 picture plus caption) centred in the container and clear of every seat. */
function largestCentre(boxes: readonly Rect[], width: number, height: number, gap: number, caption: number): Rect {
  const cx = width / 2;
  const cy = height / 2;
  let sw = Math.min(width - 2 * PAD, (height - 2 * PAD - caption) / ASPECT);
  for (const b of boxes) {
    const dx = Math.max(b.left - cx, cx - (b.left + b.width)); // distance from the centre line to the box, across
    const dy = Math.max(b.top - cy, cy - (b.top + b.height));
    const byX = 2 * (dx - gap);
    const byY = (2 * (dy - gap) - caption) / ASPECT;
    sw = Math.min(sw, Math.max(byX, byY));
  }
  sw = Math.max(0, Math.floor(sw));
  const sh = sw === 0 ? 0 : Math.floor(sw * ASPECT + caption);
  return { left: cx - sw / 2, top: cy - sh / 2, width: sw, height: sh };
}

function bboxDiameter(boxes: readonly Rect[]): number {
  const left = Math.min(...boxes.map((b) => b.left));
  const right = Math.max(...boxes.map((b) => b.left + b.width));
  const top = Math.min(...boxes.map((b) => b.top));
  const bottom = Math.max(...boxes.map((b) => b.top + b.height));
  return Math.min(right - left, bottom - top);
}

export function seatLayout({ width, height, count, gap = 8, minCentreRatio = 0.4, centreCaption = 120 }: SeatLayoutInput): SeatLayout {
  const n = Math.max(1, Math.floor(count));
  const top = Math.min(MAX_SEAT, Math.floor(Math.min(width, height) * 0.32));
  let fallback: SeatLayout | null = null;
  let best: SeatLayout | null = null;
  // Seat 1 at the top, or half a step round; two people sit facing each other across the middle.
  const offsets = n === 2 ? [0, 0.25] : n > 1 ? [0, 0.5] : [0];
  for (const offset of offsets) {
    for (let w = top; w >= MIN_SEAT; w--) {
      const tileHeight = Math.round(w * ASPECT);
      const labelHeight = labelHeightFor(w);
      const h = tileHeight + labelHeight;
      const seats = seatBoxes(w, h, n, width, height, offset);
      if (!seats || anyOverlap(seats, gap)) continue;
      const centre = largestCentre(seats, width, height, gap, centreCaption);
      const ringDiameter = bboxDiameter(seats);
      const layout: SeatLayout = { seats, seatWidth: w, seatHeight: h, tileHeight, labelHeight, centre, ringDiameter, centreFits: centre.width >= minCentreRatio * ringDiameter };
      if (layout.centreFits) {
        // Seats and spotlight together as large as they can be.
        if (!best || w + centre.width > best.seatWidth + best.centre.width) best = layout;
        break;
      }
      if (!fallback || centre.width > fallback.centre.width) fallback = layout;
    }
  }
  if (best) return best;
  if (fallback) return fallback;
  // A container too small for any ring: the smallest seats in rows, no spotlight.
  const w = MIN_SEAT;
  const h = Math.round(w * ASPECT);
  const perRow = Math.max(1, Math.floor((width - 2 * PAD + gap) / (w + gap)));
  return {
    seats: Array.from({ length: n }, (_, i) => ({ left: PAD + (i % perRow) * (w + gap), top: PAD + Math.floor(i / perRow) * (h + gap), width: w, height: h })),
    seatWidth: w,
    seatHeight: h,
    tileHeight: h,
    labelHeight: 0,
    centre: { left: width / 2, top: height / 2, width: 0, height: 0 },
    ringDiameter: 0,
    centreFits: false,
  };
}

export interface GalleryLayout {
  columns: number;
  tileWidth: number;
  tileHeight: number;
}

/** The gallery: equal 4:3 tiles (plus a name label) in as many columns as make them largest in the container. */
export function galleryLayout({ width, height, count, gap = 8 }: { width: number; height: number; count: number; gap?: number }): GalleryLayout {
  const n = Math.max(1, count);
  let best: GalleryLayout = { columns: 1, tileWidth: 0, tileHeight: 0 };
  for (let columns = 1; columns <= n; columns++) {
    const rows = Math.ceil(n / columns);
    const byWidth = (width - gap * (columns - 1)) / columns;
    let w = Math.floor(byWidth);
    // The height each row needs: 4:3 picture plus its label.
    while (w > 0 && rows * (Math.round(w * ASPECT) + labelHeightFor(w)) + gap * (rows - 1) > height) w--;
    if (w > best.tileWidth) best = { columns, tileWidth: w, tileHeight: Math.round(w * ASPECT) + labelHeightFor(w) };
  }
  return best;
}
