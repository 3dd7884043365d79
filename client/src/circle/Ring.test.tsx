import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { Ring } from './Ring';
import { seatLayout } from './seatLayout';
import { circleWith, member } from '../test/fakeSocket';

const people = [
  member('cara', 3),
  member('ann', 1, { role: 'facilitator' }),
  member('ben', 2, { connected: false, awaySince: 5 }),
  member('dov', 4),
];

function seatNames(container: HTMLElement): string[] {
  return [...container.querySelectorAll('.seat .seat__name')].map((el) => el.childNodes[0]?.textContent ?? '');
}

describe('Ring', () => {
  it('puts seats in seat order, not in array order, clockwise from the top', () => {
    const { container } = render(<Ring state={circleWith(people)} me="ben" />);
    expect(seatNames(container)).toEqual(['Ann', 'Ben', 'Cara', 'Dov']);
    // Placed by seatLayout() in the (unmeasured: 880×620) ring, seat 1 at the top, centred.
    const layout = seatLayout({ width: 880, height: 620, count: 4 });
    const first = container.querySelector<HTMLElement>('.seat');
    expect(parseFloat(first?.style.left ?? '')).toBeCloseTo(layout.seats[0]!.left, 3);
    expect(parseFloat(first?.style.top ?? '')).toBeCloseTo(layout.seats[0]!.top, 3);
    expect(parseFloat(first?.style.width ?? '')).toBe(layout.seatWidth);
  });

  it('shows presence, the facilitator, me, and raised hands with their position in the queue', () => {
    const state = circleWith(people, { piece: { mode: 'popcorn', holderId: null, since: null, queue: ['dov', 'cara'] } });
    render(<Ring state={state} me="ben" />);
    const items = screen.getAllByRole('listitem');
    expect(items[0]).toHaveProperty('textContent', expect.stringContaining('facilitator, here'));
    expect(items[1]?.textContent).toContain('(you)');
    expect(items[1]?.textContent).toContain('away');
    expect(items[3]?.textContent).toContain('hand raised, 1st in the queue');
    expect(items[2]?.textContent).toContain('hand raised, 2nd in the queue');
    expect((items[3] as HTMLElement).querySelector('.seat__hand')?.textContent?.trim()).toBe('1');
  });

  it('draws the piece at the holder’s seat and in the centre once released', () => {
    const held = circleWith(people, { piece: { mode: 'round', holderId: 'cara', since: 1, queue: [] } });
    const { container, rerender } = render(<Ring state={held} me={null} />);
    const piece = container.querySelector<HTMLElement>('.piece');
    const cara = container.querySelector<HTMLElement>('[data-participant-id="cara"]')!;
    expect(piece?.dataset.holder).toBe('cara');
    // On a corner of Cara's seat.
    const [left = 0, top = 0, width = 0, height = 0] = ['left', 'top', 'width', 'height'].map((k) => parseFloat(cara.style.getPropertyValue(k)));
    expect([left, left + width].some((x) => Math.abs(x - parseFloat(piece!.style.left)) < 0.01)).toBe(true);
    expect([top, top + height].some((y) => Math.abs(y - parseFloat(piece!.style.top)) < 0.01)).toBe(true);
    expect(screen.getByText('Cara holds the talking piece')).toBeTruthy();

    rerender(<Ring state={{ ...held, piece: { ...held.piece, holderId: null, since: null } }} me={null} />);
    const centred = container.querySelector<HTMLElement>('.piece');
    expect(centred?.classList.contains('piece--centre')).toBe(true);
    expect(centred?.style.left).toBe('440px');
    expect(screen.getByText('The talking piece lies in the centre')).toBeTruthy();
  });

  it('has no piece in open mode', () => {
    const { container } = render(<Ring state={circleWith(people, { piece: { mode: 'open', holderId: null, since: null, queue: [] } })} me={null} />);
    expect(container.querySelector('.piece')).toBeNull();
    expect(screen.getByText(/everyone may speak/)).toBeTruthy();
  });

  it('makes seats buttons only for facilitators, and reports the chosen seat', () => {
    const onSelect = vi.fn();
    const { rerender } = render(<Ring state={circleWith(people)} me="ann" />);
    expect(screen.queryAllByRole('button')).toHaveLength(0);
    rerender(<Ring state={circleWith(people)} me="ann" onSelect={onSelect} selectedId="dov" />);
    const buttons = screen.getAllByRole('button');
    expect(buttons).toHaveLength(4);
    expect(buttons[3]?.getAttribute('aria-expanded')).toBe('true');
    expect(buttons[2]?.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(buttons[2] as HTMLElement);
    expect(onSelect).toHaveBeenCalledWith('cara');
  });

  it('shows the chosen seat’s actions beside it, and the centre’s content in the spotlight', () => {
    render(
      <Ring state={circleWith(people)} me="ann" onSelect={() => {}} selectedId="dov" centre={<p>Speaker here</p>} seatActions={<button type="button">Give the piece to Dov</button>} />,
    );
    expect(screen.getByTestId('centre-spotlight').textContent).toContain('Speaker here');
    const popover = document.getElementById('seat-actions');
    expect(popover?.textContent).toBe('Give the piece to Dov');
    expect(screen.getByRole('button', { name: /^Dov/ }).getAttribute('aria-controls')).toBe('seat-actions');
  });

  it('lays the seats out as equal tiles in the gallery view, in seat order, with the centre under them', () => {
    const many = Array.from({ length: 12 }, (_, i) => member(`p${String(i).padStart(2, '0')}`, 12 - i));
    const state = circleWith(many, { piece: { mode: 'round', holderId: 'p03', since: 1, queue: [] } });
    const { container } = render(<Ring state={state} me={null} view="gallery" centre={<p>Speaker here</p>} />);
    expect(container.querySelector('.ring--gallery')).not.toBeNull();
    const seats = [...container.querySelectorAll<HTMLElement>('.seat')];
    expect(seats.map((s) => s.dataset.seat)).toEqual(Array.from({ length: 12 }, (_, i) => String(i + 1)));
    expect(new Set(seats.map((s) => s.style.width)).size).toBe(1);
    expect(screen.queryByTestId('centre-spotlight')).toBeNull();
    expect(container.querySelector('.ring__gallery-centre')?.textContent).toContain('Speaker here');
  });

  describe('the speaker’s turn and gestures', () => {
    it('marks the holder’s seat "finish up" 15 s before their time, then "time" — the piece stays with them', () => {
      let now = 1_000_000;
      const clock = { now: () => now };
      const state = circleWith(people, {
        piece: { mode: 'round', holderId: 'cara', since: 1_000_000, queue: [] },
        settings: { speakerTimeMs: 60_000, facilitatorsMaySpeak: true, maxParticipants: 50 },
      });
      const { container, rerender } = render(<Ring state={state} me={null} clock={clock} />);
      const cara = () => container.querySelector<HTMLElement>('[data-participant-id="cara"]')!;
      expect(cara().querySelector('.seat__turn')).toBeNull();
      now = 1_000_000 + 45_000;
      rerender(<Ring state={{ ...state }} me={null} clock={clock} />);
      expect(cara().className).toContain('seat--finish-up');
      expect(cara().querySelector('.seat__turn')?.textContent).toBe('finish up');
      expect(cara().textContent).toContain('finishing up');
      now = 1_000_000 + 60_000;
      rerender(<Ring state={{ ...state }} me={null} clock={clock} />);
      expect(cara().className).toContain('seat--over');
      expect(cara().className).toContain('seat--holder');
      expect(cara().querySelector('.seat__turn')?.textContent).toBe('time');
    });

    it('floats gestures on their target seat, or near the centre', () => {
      const marks = [
        { key: 1, kind: 'heart' as const, from: 'ann', targetId: 'dov' },
        { key: 2, kind: 'hear' as const, from: 'ann', targetId: null },
      ];
      const { container } = render(<Ring state={circleWith(people)} me={null} marks={marks} />);
      expect(container.querySelector('[data-participant-id="dov"] .gesture-mark--heart')).not.toBeNull();
      expect(screen.getByTestId('centre-marks').querySelector('.gesture-mark--hear')).not.toBeNull();
      expect(container.querySelectorAll('.gesture-mark')).toHaveLength(2);
    });
  });
});
