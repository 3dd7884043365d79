import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { galleryLayout, overlaps, seatLayout, type Rect } from './seatLayout';

const inside = (r: Rect, width: number, height: number) => r.left >= -0.01 && r.top >= -0.01 && r.left + r.width <= width + 0.01 && r.top + r.height <= height + 0.01;

describe('seatLayout', () => {
  it('never overlaps two seats, and keeps the spotlight clear and large, for every circle of 2 to 30 in containers from a phone to a wide screen', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 30 }), fc.integer({ min: 300, max: 1800 }), fc.integer({ min: 300, max: 1100 }), (count, width, height) => {
        const layout = seatLayout({ width, height, count });
        expect(layout.seats).toHaveLength(count);
        for (const seat of layout.seats) expect(inside(seat, width, height)).toBe(true);
        for (let a = 0; a < count; a++) for (let b = a + 1; b < count; b++) expect(overlaps(layout.seats[a]!, layout.seats[b]!)).toBe(false);
        // The spotlight is clear of every seat and inside the container, and large enough.
        for (const seat of layout.seats) expect(overlaps(layout.centre, seat)).toBe(false);
        expect(inside(layout.centre, width, height)).toBe(true);
        // From a phone's ring (360 px) up, the spotlight is always at least 40% of the ring; below, it may be smaller.
        if (width >= 360 && height >= 360) {
          expect(layout.centreFits).toBe(true);
          expect(layout.centre.width).toBeGreaterThanOrEqual(0.4 * layout.ringDiameter);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives twelve people on a laptop faces at least 120 px wide', () => {
    // 1280×800 less the header, the dock and the side panel leaves about 880×620 for the ring.
    const layout = seatLayout({ width: 880, height: 620, count: 12 });
    expect(layout.seatWidth).toBeGreaterThanOrEqual(120);
    expect(layout.centre.width).toBeGreaterThanOrEqual(0.4 * layout.ringDiameter);
  });

  it('makes seats smaller as the circle grows', () => {
    const width = (count: number) => seatLayout({ width: 900, height: 640, count }).seatWidth;
    expect(width(12)).toBeLessThan(width(6));
    expect(width(20)).toBeLessThan(width(12));
    expect(width(30)).toBeLessThan(width(20));
  });

  it('drops the name label only on the smallest seats', () => {
    expect(seatLayout({ width: 900, height: 640, count: 6 }).labelHeight).toBeGreaterThan(0);
    const crowded = seatLayout({ width: 390, height: 420, count: 30 });
    expect(crowded.labelHeight).toBe(0);
    expect(crowded.seatHeight).toBe(crowded.tileHeight);
  });

  it('keeps seat 1 at the top when there is room', () => {
    const { seats } = seatLayout({ width: 900, height: 640, count: 5 });
    const first = seats[0]!;
    expect(first.left + first.width / 2).toBeCloseTo(450, 0);
    expect(Math.min(...seats.map((s) => s.top))).toBeCloseTo(first.top, 5);
  });
});

describe('galleryLayout', () => {
  it('fits every tile in the container, in as few rows as make the tiles largest', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 300, max: 1800 }), fc.integer({ min: 300, max: 1100 }), (count, width, height) => {
        const g = galleryLayout({ width, height, count });
        const rows = Math.ceil(count / g.columns);
        expect(g.tileWidth).toBeGreaterThan(0);
        expect(g.columns * g.tileWidth + (g.columns - 1) * 8).toBeLessThanOrEqual(width);
        expect(rows * g.tileHeight + (rows - 1) * 8).toBeLessThanOrEqual(height);
      }),
      { numRuns: 200 },
    );
    expect(galleryLayout({ width: 880, height: 480, count: 12 }).columns).toBe(4);
  });
});
