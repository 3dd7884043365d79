import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { Controls } from './Controls';
import { circleWith, member } from '../test/fakeSocket';

const people = [member('ann', 1, { role: 'facilitator' }), member('ben', 2), member('cara', 3)];
const held = (since: number) =>
  circleWith(people, { piece: { mode: 'round', holderId: 'ben', since, queue: [] }, settings: { speakerTimeMs: 60_000, facilitatorsMaySpeak: true, maxParticipants: 50 } });

describe('Controls', () => {
  it('passes with the holder it sees as `from`, and waits for the answer before passing again', async () => {
    let answer: (value: unknown) => void = () => {};
    const act_ = vi.fn(() => new Promise((resolve) => (answer = resolve)));
    render(<Controls state={held(0)} me="ben" act={act_} />);
    const pass = screen.getByRole('button', { name: 'Pass the piece' });
    fireEvent.click(pass);
    fireEvent.click(pass);
    expect(act_).toHaveBeenCalledExactlyOnceWith({ type: 'piece.pass', from: 'ben' });
    expect(pass.getAttribute('aria-disabled')).toBe('true');
    await act(async () => answer({ ok: true, version: 2 }));
    expect(pass.hasAttribute('aria-disabled')).toBe(false);
  });

  it('passes from the centre with `from: null` (a facilitator in round mode)', () => {
    const act_ = vi.fn();
    render(<Controls state={circleWith(people)} me="ann" act={act_} />);
    fireEvent.click(screen.getByRole('button', { name: 'Pass the piece' }));
    expect(act_).toHaveBeenCalledWith({ type: 'piece.pass', from: null });
  });

  it('tells the holder to finish up a little before their time, then that it is up — and still lets them speak', () => {
    let now = 40_000;
    const clock = { now: () => now };
    const { rerender } = render(<Controls state={held(0)} me="ben" act={vi.fn()} clock={clock} />);
    expect(screen.getByText(/Speak when you are ready/)).toBeTruthy();
    now = 46_000;
    rerender(<Controls state={held(0)} me="ben" act={vi.fn()} clock={clock} />);
    expect(screen.getByText(/take a moment to finish up/)).toBeTruthy();
    now = 61_000;
    rerender(<Controls state={held(0)} me="ben" act={vi.fn()} clock={clock} />);
    expect(screen.getByText(/Your time is up: finish your thought/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Pass the piece' })).toBeTruthy();
  });

  it('offers the three gestures to every member', () => {
    const onGesture = vi.fn();
    render(<Controls state={held(0)} me="cara" act={vi.fn()} onGesture={onGesture} />);
    const group = screen.getByRole('group', { name: 'Witness' });
    expect(group.querySelectorAll('button')).toHaveLength(3);
    fireEvent.click(screen.getByRole('button', { name: 'Send “I hear you”' }));
    expect(onGesture).toHaveBeenCalledWith('hear');
  });
});
