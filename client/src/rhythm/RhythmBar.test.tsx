import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { RhythmBar } from './RhythmBar';
import { circleWith, member } from '../test/fakeSocket';

const people = [member('fran', 1, { role: 'facilitator' }), member('ann', 2)];

describe('RhythmBar', () => {
  it('rings the bell with 1, 2 or 3 strikes, and begins an open or a timed silence', () => {
    const act = vi.fn();
    render(<RhythmBar state={circleWith(people)} me="fran" act={act} />);
    fireEvent.click(screen.getByRole('button', { name: 'Bell' }));
    fireEvent.click(screen.getByRole('button', { name: 'Bell ×3' }));
    fireEvent.click(screen.getByRole('button', { name: 'Silence' }));
    fireEvent.change(screen.getByRole('combobox', { name: 'Silence length' }), { target: { value: '2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Silence' }));
    expect(act.mock.calls.map(([cmd]) => cmd)).toEqual([
      { type: 'bell.ring', strikes: 1 },
      { type: 'bell.ring', strikes: 3 },
      { type: 'silence.start' },
      { type: 'silence.start', durationMs: 120_000 },
    ]);
  });

  it('is not there for a participant', () => {
    const { container } = render(<RhythmBar state={circleWith(people)} me="ann" act={vi.fn()} />);
    expect(container.innerHTML).toBe('');
  });
});
