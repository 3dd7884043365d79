import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ClearNewcomers } from './ClearNewcomers';
import { circleWith, member } from '../test/fakeSocket';

const before = circleWith([member('fran', 1, { role: 'facilitator' }), member('ann', 2)]);

describe('ClearNewcomers: a wave of newcomers cleared at once (issue 14)', () => {
  it('offers to remove the people who joined in the last minute, after confirming; never those already here or facilitators', () => {
    const act = vi.fn();
    let now = 1_000_000;
    const { rerender } = render(<ClearNewcomers state={before} me="fran" act={act} now={() => now} />);
    expect(screen.queryByRole('button')).toBeNull();
    const wave = circleWith([...before.participants, member('bot1', 3), member('bot2', 4), member('cofac', 5, { role: 'facilitator' })]);
    now += 1_000;
    rerender(<ClearNewcomers state={wave} me="fran" act={act} now={() => now} />);
    fireEvent.click(screen.getByRole('button', { name: 'Remove the 2 people who joined in the last minute…' }));
    expect(act).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Yes, remove 2 people' }));
    expect(act).toHaveBeenCalledWith({ type: 'participants.remove', participantIds: ['bot1', 'bot2'] });
  });

  it('arrivals older than a minute are no longer offered', () => {
    let now = 1_000_000;
    const { rerender } = render(<ClearNewcomers state={before} me="fran" act={vi.fn()} now={() => now} />);
    const wave = circleWith([...before.participants, member('bot1', 3), member('bot2', 4)]);
    rerender(<ClearNewcomers state={wave} me="fran" act={vi.fn()} now={() => now} />);
    expect(screen.getByRole('button', { name: /Remove the 2 people/ })).toBeTruthy();
    now += 61_000;
    rerender(<ClearNewcomers state={wave} me="fran" act={vi.fn()} now={() => now} />);
    expect(screen.queryByRole('button')).toBeNull();
  });
});
