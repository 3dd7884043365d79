import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { Controls, Queue } from './Controls';
import { PieceActions } from './PieceActions';
import { circleWith, member } from '../test/fakeSocket';

const people = [member('ann', 1, { role: 'facilitator' }), member('ben', 2), member('cara', 3)];
const held = (since: number) =>
  circleWith(people, { piece: { mode: 'round', holderId: 'ben', since, queue: [] }, settings: { speakerTimeMs: 60_000, facilitatorsMaySpeak: true, maxParticipants: 50 } });

describe('PieceActions (by the centre)', () => {
  it('passes with the holder it sees as `from`, and waits for the answer before passing again', async () => {
    let answer: (value: unknown) => void = () => {};
    const act_ = vi.fn(() => new Promise((resolve) => (answer = resolve)));
    render(<PieceActions state={held(0)} me="ben" act={act_} />);
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
    render(<PieceActions state={circleWith(people)} me="ann" act={act_} />);
    fireEvent.click(screen.getByRole('button', { name: 'Pass the piece' }));
    expect(act_).toHaveBeenCalledWith({ type: 'piece.pass', from: null });
  });

  it('tells the holder to finish up a little before their time, then that it is up — and still lets them speak', () => {
    let now = 40_000;
    const clock = { now: () => now };
    const { rerender } = render(<PieceActions state={held(0)} me="ben" act={vi.fn()} clock={clock} />);
    expect(screen.queryByText(/finish/)).toBeNull();
    now = 46_000;
    rerender(<PieceActions state={held(0)} me="ben" act={vi.fn()} clock={clock} />);
    expect(screen.getByText(/A little time is left: finish up/)).toBeTruthy();
    now = 61_000;
    rerender(<PieceActions state={held(0)} me="ben" act={vi.fn()} clock={clock} />);
    expect(screen.getByText(/Your time is up: finish your thought/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Pass the piece' })).toBeTruthy();
  });

  it('puts the holder’s microphone first, before Pass, and offers nothing to someone with nothing to do', () => {
    render(<PieceActions state={held(0)} me="ben" act={vi.fn()} mic={<button type="button">Unmute</button>} />);
    const buttons = screen.getAllByRole('button').map((b) => b.textContent);
    expect(buttons.slice(0, 2)).toEqual(['Unmute', 'Pass the piece']);
    expect(screen.getByText('Next: Cara.')).toBeTruthy();
  });

  it('renders nothing for a participant who does not hold the piece', () => {
    const { container } = render(<PieceActions state={held(0)} me="cara" act={vi.fn()} />);
    expect(container.innerHTML).toBe('');
  });
});

describe('Controls (under the ring)', () => {
  it('raises and lowers a hand, with H as its shortcut', () => {
    const act_ = vi.fn();
    const { rerender } = render(<Controls state={held(0)} me="cara" act={act_} />);
    fireEvent.click(screen.getByRole('button', { name: 'Raise hand' }));
    expect(act_).toHaveBeenCalledWith({ type: 'hand.raise' });
    expect(screen.getByRole('button', { name: 'Raise hand' }).getAttribute('aria-keyshortcuts')).toBe('H');
    const raised = { ...held(0), piece: { ...held(0).piece, queue: ['cara'] } };
    rerender(<Controls state={raised} me="cara" act={act_} />);
    fireEvent.click(screen.getByRole('button', { name: 'Lower hand' }));
    expect(act_).toHaveBeenLastCalledWith({ type: 'hand.lower' });
    render(<Queue state={raised} me="cara" />);
    expect(screen.getByRole('list', { name: 'Raised hands, in order' }).textContent).toBe('Cara (you)');
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
