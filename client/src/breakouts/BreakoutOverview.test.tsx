import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { makeCircle } from '@spiral/shared/testing';
import { BreakoutOverview } from './BreakoutOverview';
import { withBreakouts } from './testCircles';

const members = [
  { id: 'fran', name: 'Fran', role: 'facilitator' as const },
  { id: 'ana', name: 'Ana' },
  { id: 'ben', name: 'Ben' },
  { id: 'cara', name: 'Cara' },
  { id: 'dev', name: 'Dev' },
  { id: 'eli', name: 'Eli' },
];
const base = makeCircle({ id: 'c1', members });
const clock = { now: () => 1_000_000 };
const open = (patch = {}, groups: Parameters<typeof withBreakouts>[1] = [{ memberIds: ['ana', 'ben'] }, { memberIds: ['cara', 'dev', 'eli'], speakerId: 'dev', helpAt: 990_000 }]) =>
  withBreakouts(base, groups, patch);

function show(state = open(), act = vi.fn()) {
  render(<BreakoutOverview state={state} me="fran" clock={clock} act={act} />);
  return act;
}

describe('BreakoutOverview', () => {
  it('shows every group at a glance: its people, who speaks, and a call for help highlighted', () => {
    show();
    const groups = within(screen.getByRole('list', { name: 'The groups' })).getAllByRole('listitem').filter((li) => li.classList.contains('group-card'));
    expect(groups.map((g) => g.querySelector('h3')!.textContent)).toEqual(['Pair 1', 'Triad 2 · calls for you']);
    expect(groups[0]!.querySelector('.group-card__member--speaks')!.textContent).toBe('AAna · speaks');
    expect(groups[1]!.querySelector('.group-card__member--speaks')!.textContent).toBe('BDev · speaks');
    expect(groups[1]!.classList.contains('group-card--help')).toBe(true);
    expect(document.querySelector('.overview__calls')!.textContent).toBe('Triad 2 calls for you.');
    expect(screen.getByText('In the main circle:').parentElement!.textContent).toBe('In the main circle: you');
  });

  it('visits a group in one click', () => {
    const act = show();
    fireEvent.click(screen.getByRole('button', { name: 'Visit Triad 2: Cara, Dev and Eli' }));
    expect(act).toHaveBeenCalledWith({ type: 'breakout.visit', groupId: 'b1g2' });
  });

  it('while visiting: "You are here" on that group', () => {
    show(open({ visits: { fran: 'b1g1' } }));
    expect(screen.queryByRole('button', { name: /^Visit Pair 1/ })).toBeNull();
    expect(screen.getByText('You are here')).toBeTruthy();
    expect(screen.getByText('With you')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Visit Triad 2: Cara, Dev and Eli' })).toBeTruthy();
  });

  it('swaps all, recalls with a warning or at once', () => {
    const act = show();
    fireEvent.click(screen.getByRole('button', { name: 'Swap all' }));
    fireEvent.click(screen.getByRole('button', { name: 'Recall in 30 s' }));
    fireEvent.click(screen.getByRole('button', { name: 'Recall now' }));
    expect(act.mock.calls.map((c) => c[0])).toEqual([{ type: 'breakout.swap' }, { type: 'breakout.close', afterMs: 30_000 }, { type: 'breakout.close' }]);
  });

  it('once the recall is announced: its countdown, and only "Recall now"', () => {
    show(open({ closingAt: 1_021_000 }));
    expect(screen.getByRole('timer', { name: /Everyone returns in/ }).textContent).toBe('0:21');
    expect(screen.queryByRole('button', { name: 'Recall in 30 s' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Recall now' })).toBeTruthy();
  });

  it('open groups have no "Swap all"', () => {
    show(open({ mode: 'open' }, [{ memberIds: ['ana', 'ben'], speakerId: null }]));
    expect(screen.queryByRole('button', { name: 'Swap all' })).toBeNull();
  });

  it('broadcasts a word to every group (trimmed; 1..300 characters), with Enter or the button', async () => {
    const act = vi.fn(() => Promise.resolve({ ok: true }));
    show(open(), act);
    const box = screen.getByRole('textbox', { name: 'A word to every group' });
    const send = screen.getByRole('button', { name: 'Send to all groups' });
    fireEvent.click(send);
    expect(act).not.toHaveBeenCalled();
    expect(send.getAttribute('aria-disabled')).toBe('true');
    fireEvent.change(box, { target: { value: 'x'.repeat(301) } });
    expect(box.getAttribute('aria-invalid')).toBe('true');
    fireEvent.click(send);
    expect(act).not.toHaveBeenCalled();
    fireEvent.change(box, { target: { value: '  Take a minute to finish up.  ' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(act).toHaveBeenCalledWith({ type: 'breakout.broadcast', text: 'Take a minute to finish up.' });
    await vi.waitFor(() => expect((box as HTMLTextAreaElement).value).toBe(''));
  });

  it('shows the last word sent', () => {
    show(open({ message: { text: 'Swap in a minute.', at: 1 } }));
    expect(screen.getByText('Last sent: “Swap in a minute.”')).toBeTruthy();
  });
});
