import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { Rhythm } from './Rhythm';
import type { Cues } from '../circle/sound';
import { circleWith, member } from '../test/fakeSocket';

const people = [member('fran', 1, { role: 'facilitator' }), member('ann', 2)];
const cues: Cues = { chime: () => {}, softCue: () => {}, pieceArrived: () => {}, unlock: () => {} };
const clock = { now: () => 5_000_000 };

describe('The silence overlay', () => {
  it('shows the room resting, with the time left; a facilitator gets "End silence", focused, which ends it', () => {
    const act = vi.fn();
    const quiet = circleWith(people);
    const { rerender } = render(<Rhythm state={quiet} me="fran" clock={clock} cues={cues} soundOn act={act} />);
    expect(screen.queryByTestId('silence-overlay')).toBeNull();
    const hush = circleWith(people, { silence: { since: 5_000_000, endsAt: 5_000_000 + 120_000 } });
    rerender(<Rhythm state={hush} me="fran" clock={clock} cues={cues} soundOn act={act} />);
    const overlay = screen.getByTestId('silence-overlay');
    expect(screen.getByRole('heading', { name: 'Silence' })).toBeTruthy();
    expect(overlay.textContent).toContain('2:00 left');
    const end = screen.getByRole('button', { name: 'End silence' });
    expect(document.activeElement).toBe(end);
    expect(screen.getByTestId('silence-announcer').textContent).toBe('Silence for 2 minutes. Nobody speaks until the bell.');
    fireEvent.click(end);
    expect(act).toHaveBeenCalledWith({ type: 'silence.end' });
    rerender(<Rhythm state={quiet} me="fran" clock={clock} cues={cues} soundOn act={act} />);
    expect(screen.queryByTestId('silence-overlay')).toBeNull();
    expect(screen.getByTestId('silence-announcer').textContent).toBe('The silence has ended.');
  });

  it('gives a participant the overlay without "End silence", and says an open-ended silence lasts until the bell', () => {
    render(<Rhythm state={circleWith(people, { silence: { since: 1, endsAt: null } })} me="ann" clock={clock} cues={cues} soundOn act={vi.fn()} />);
    expect(screen.getByTestId('silence-overlay').textContent).toContain('Until the bell');
    expect(screen.queryByRole('button', { name: 'End silence' })).toBeNull();
    expect(screen.getByTestId('silence-announcer').textContent).toBe('Silence. Nobody speaks until the bell.');
  });
});
