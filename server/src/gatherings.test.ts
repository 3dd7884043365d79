import { createCircleState, DEFAULT_DURATION_MIN, UNSCHEDULED } from '@spiral/shared';
import { describe, expect, it } from 'vitest';
import { calendarOf, gatheringChanges, icsOf, scheduleProblem } from './gatherings.js';

const NOW = Date.UTC(2026, 10, 24, 10, 0, 0);
const HOUR = 3_600_000;
const ORIGIN = 'https://circles.example.org';
const circle = (id: string, gathering: Parameters<typeof createCircleState>[0]['gathering']) =>
  createCircleState({ id, title: `Circle ${id}`, template: 'open', now: NOW, gathering });

describe('gatherings over HTTP', () => {
  it('startsAt must be in the future, unless it is sent back unchanged', () => {
    expect(scheduleProblem(undefined, NOW)).toBeNull();
    expect(scheduleProblem(NOW + 1, NOW)).toBeNull();
    expect(scheduleProblem(NOW, NOW)).toMatch(/future/);
    expect(scheduleProblem(NOW - HOUR, NOW, NOW - HOUR)).toBeNull();
  });

  it('a start without a duration gets the default, only when the circle has none yet', () => {
    expect(gatheringChanges({ startsAt: NOW + HOUR }, null)).toEqual({ startsAt: NOW + HOUR, durationMin: DEFAULT_DURATION_MIN });
    expect(gatheringChanges({ startsAt: NOW + HOUR }, { ...UNSCHEDULED, durationMin: 45 })).toEqual({ startsAt: NOW + HOUR });
    expect(gatheringChanges({ listed: true, timeZone: 'Europe/Berlin' }, null)).toEqual({ listed: true, timeZone: 'Europe/Berlin' });
  });

  it('the calendar: listed, scheduled, not ended, soonest first', () => {
    const states = [
      circle('b', { startsAt: NOW + 2 * HOUR, durationMin: 60, listed: true }),
      circle('a', { startsAt: NOW - HOUR, durationMin: 90, listed: true }), // in progress
      circle('c', { startsAt: NOW - 2 * HOUR, durationMin: 60, listed: true }), // ended
      circle('d', { startsAt: NOW + HOUR, durationMin: 60, listed: false }),
      circle('e', { listed: true }),
    ];
    expect(calendarOf(states, NOW, ORIGIN).map((e) => e.circleId)).toEqual(['a', 'b']);
  });

  it('iCalendar: UTC times, a stable UID, unscheduled circles skipped', () => {
    const ics = icsOf([circle('x', { startsAt: Date.UTC(2027, 0, 5, 18, 0), durationMin: 30, timeZone: 'Asia/Tokyo' }), circle('y', {})], {
      publicOrigin: ORIGIN,
      now: NOW,
      name: 'test',
    });
    expect(ics).toContain('DTSTART:20270105T180000Z');
    expect(ics).toContain('DTEND:20270105T183000Z');
    expect(ics).toContain('UID:x@circles.example.org');
    expect(ics).toContain(`URL;VALUE=URI:${ORIGIN}/c/x`);
    expect(ics).not.toContain('DESCRIPTION');
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(1);
  });
});
