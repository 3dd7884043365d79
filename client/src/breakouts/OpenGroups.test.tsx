import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { makeCircle } from '@spiral/shared/testing';
import { groupsWords, OpenGroups } from './OpenGroups';

const people = (n: number) => [{ id: 'fran', name: 'Fran', role: 'facilitator' as const }, ...Array.from({ length: n }, (_, i) => ({ id: `p${i}`, name: `P${i}` }))];

describe('OpenGroups', () => {
  it('opens pairs in turns by default; sizes, mode, prompt and minutes go into breakout.open', () => {
    const act = vi.fn();
    render(<OpenGroups state={makeCircle({ members: people(6) })} me="fran" act={act} />);
    expect(screen.getByText('Everyone here but the facilitators, shuffled into 3 pairs.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Open groups' }));
    expect(act).toHaveBeenLastCalledWith({ type: 'breakout.open', size: 2, mode: 'turns' });

    fireEvent.click(screen.getByRole('button', { name: 'Quads' }));
    expect(screen.getByText('Everyone here but the facilitators, shuffled into 2 triads.')).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: /Open conversation/ }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Prompt (optional)' }), { target: { value: ' What gives you strength? ' } });
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Minutes (optional)' }), { target: { value: '6' } });
    fireEvent.click(screen.getByRole('button', { name: 'Open groups' }));
    expect(act).toHaveBeenLastCalledWith({ type: 'breakout.open', size: 4, mode: 'open', prompt: 'What gives you strength?', durationMs: 360_000 });
  });

  it('refuses minutes out of range instead of opening without a timer', () => {
    const act = vi.fn();
    render(<OpenGroups state={makeCircle({ members: people(4) })} me="fran" act={act} />);
    const minutes = screen.getByRole('spinbutton', { name: 'Minutes (optional)' });
    fireEvent.change(minutes, { target: { value: '90' } });
    expect(minutes.getAttribute('aria-invalid')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Open groups' }));
    expect(act).not.toHaveBeenCalled();
  });

  it('with nobody to group, says so and opens nothing', () => {
    const act = vi.fn();
    render(<OpenGroups state={makeCircle({ members: people(0) })} me="fran" act={act} />);
    expect(screen.getByText('Nobody is here to go into groups yet.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Open groups' }));
    expect(act).not.toHaveBeenCalled();
  });

  it('words the sizes the server will make', () => {
    expect(groupsWords([3, 2, 2])).toBe('2 pairs and a triad');
    expect(groupsWords([1])).toBe('one person on their own');
    expect(groupsWords([4, 4])).toBe('2 quads');
  });
});
