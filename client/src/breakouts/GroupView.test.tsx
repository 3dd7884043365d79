import { act as rtlAct, fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { makeCircle } from '@spiral/shared/testing';
import { GroupView } from './GroupView';
import type { Breakouts } from '@spiral/shared';
import { withBreakouts, type GroupSpec } from './testCircles';

const members = [
  { id: 'fran', name: 'Fran', role: 'facilitator' as const },
  { id: 'ana', name: 'Ana' },
  { id: 'ben', name: 'Ben' },
  { id: 'cara', name: 'Cara' },
  { id: 'dev', name: 'Dev' },
];
const base = makeCircle({ id: 'c1', members });
const clock = { now: () => 1_000_000 };
const pairs = (patch: Partial<Breakouts> = {}, groups: GroupSpec[] = [{ memberIds: ['ana', 'ben'] }, { memberIds: ['cara', 'dev'] }]) => withBreakouts(base, groups, patch);

function show(me: string, state = pairs(), act = vi.fn()) {
  const view = render(<GroupView state={state} me={me} clock={clock} act={act} />);
  return { act, ...view };
}

describe('GroupView: a member in a pair', () => {
  it('shows the group, the partner large, the prompt, and the speaker their role (A)', () => {
    show('ana');
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Pair 1 · with Ben');
    expect(screen.getByText('Something I love about being alive on Earth is…')).toBeTruthy();
    const role = document.querySelector('.group-view__role')!;
    expect(role.textContent).toBe('AYou speak (you are A)Ben listens in silence. Pass the turn when you are done.');
    const partner = within(screen.getByRole('list', { name: 'Your pair' })).getByRole('listitem');
    expect(partner.getAttribute('data-participant-id')).toBe('ben');
    expect(partner.textContent).toContain('B · listens');
    expect(within(screen.getByRole('list', { name: 'You' })).getByText('You')).toBeTruthy();
    // Cara and Dev, in the other pair, are nowhere on Ana's screen.
    expect(screen.queryByText(/Cara|Dev/)).toBeNull();
  });

  it('during a silence tells the speaker that nobody speaks now, not to go on', () => {
    show('ana', { ...pairs(), silence: { since: 1, endsAt: null } });
    const role = document.querySelector('.group-view__role')!;
    expect(role.textContent).toContain('Silence: nobody speaks now.');
    expect(role.textContent).not.toContain('Pass the turn when you are done');
  });

  it('arriving in a group with focus lost, the keyboard starts at the group\u2019s heading', () => {
    (document.activeElement as HTMLElement | null)?.blur();
    show('ben');
    expect(document.activeElement?.id).toBe('group-heading');
  });

  it('tells the listener (B) who speaks, and offers them no pass', () => {
    show('ben');
    expect(document.querySelector('.group-view__role')!.textContent).toMatch(/You listen.*Ana speaks\. Listen without a word/);
    expect(screen.queryByRole('button', { name: 'Pass the turn' })).toBeNull();
  });

  it('offers the speaker "Pass the turn" and sends breakout.pass', () => {
    const { act } = show('ana');
    fireEvent.click(screen.getByRole('button', { name: 'Pass the turn' }));
    expect(act).toHaveBeenCalledWith({ type: 'breakout.pass' });
  });

  it('"Call the facilitator" sends breakout.help; once called it says so until a visit', () => {
    const { act, rerender } = show('ben');
    fireEvent.click(screen.getByRole('button', { name: 'Call the facilitator' }));
    expect(act).toHaveBeenCalledWith({ type: 'breakout.help' });

    const called = pairs({}, [{ memberIds: ['ana', 'ben'], helpAt: 999_000 }, { memberIds: ['cara', 'dev'] }]);
    rerender(<GroupView state={called} me="ben" clock={clock} act={act} />);
    expect(screen.queryByRole('button', { name: 'Call the facilitator' })).toBeNull();
    expect(screen.getByTestId('group-status').textContent).toBe('The facilitator has been called.');

    const visited = pairs({ visits: { fran: 'b1g1' } });
    rerender(<GroupView state={visited} me="ben" clock={clock} act={act} />);
    expect(screen.getByTestId('group-status').textContent).toBe('Fran is here with you.');
    expect(screen.getByRole('button', { name: 'Call the facilitator' })).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'Your pair' })).getByText('facilitator, visiting')).toBeTruthy();
  });

  it("shows the facilitator's latest word prominently", () => {
    show('ben', pairs({ message: { text: 'Take a minute to finish up.', at: 999_000 } }));
    const message = screen.getByRole('region', { name: 'From the facilitator' });
    expect(message.textContent).toContain('Take a minute to finish up.');
  });

  it("counts down the group's time, then the recall instead", () => {
    const { rerender, act } = show('ben', pairs({ endsAt: 1_000_000 + 4 * 60_000 + 12_000 }));
    expect(screen.getByRole('timer', { name: /Time left/ }).textContent).toBe('4:12');
    rerender(<GroupView state={pairs({ endsAt: 1_000_000, closingAt: 1_000_000 + 27_000 })} me="ben" clock={clock} act={act} />);
    expect(screen.queryByRole('timer', { name: /Time left/ })).toBeNull();
    expect(screen.getByRole('timer', { name: /Back to the main circle in/ }).textContent).toBe('0:27');
    expect(screen.getByText('Take a moment to finish up.')).toBeTruthy();
  });

  it('the countdown follows the server clock', () => {
    vi.useFakeTimers();
    try {
      let now = 1_000_000;
      const moving = { now: () => now };
      render(<GroupView state={pairs({ closingAt: 1_030_000 })} me="ana" clock={moving} act={vi.fn()} />);
      expect(screen.getByRole('timer').textContent).toBe('0:30');
      now += 10_000;
      rtlAct(() => vi.advanceTimersByTime(100));
      expect(screen.getByRole('timer').textContent).toBe('0:20');
    } finally {
      vi.useRealTimers();
    }
  });

  it('in open mode there are no letters or turns: everyone may speak, nobody passes', () => {
    show('ana', pairs({ mode: 'open' }, [{ memberIds: ['ana', 'ben'], speakerId: null }]));
    expect(document.querySelector('.group-view__role')!.textContent).toContain('Open conversation');
    expect(screen.queryByRole('button', { name: 'Pass the turn' })).toBeNull();
    expect(screen.queryByText(/listens/)).toBeNull();
  });

  it('a triad names both partners; the speaker hears that two listen', () => {
    show('ana', pairs({}, [{ memberIds: ['ana', 'ben', 'cara'] }]));
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Triad 1 · with Ben and Cara');
    expect(screen.getByText('Ben and Cara listen in silence. Pass the turn when you are done.')).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'Your triad' })).getAllByRole('listitem')).toHaveLength(2);
  });
});

describe('GroupView: a visiting facilitator', () => {
  it('sees every member, may pass the turn, and can go back to the main circle', () => {
    const { act } = show('fran', pairs({ visits: { fran: 'b1g2' } }));
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Pair 2 · Cara and Dev');
    expect(within(screen.getByRole('list', { name: 'Your group' })).getAllByRole('listitem')).toHaveLength(2);
    expect(screen.queryByRole('button', { name: 'Call the facilitator' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Pass the turn' }));
    fireEvent.click(screen.getByRole('button', { name: 'Back to the main circle' }));
    expect(act.mock.calls.map((c) => c[0])).toEqual([{ type: 'breakout.pass' }, { type: 'breakout.visit', groupId: null }]);
  });

  it('shows nothing for someone in the main circle', () => {
    const { container } = show('fran');
    expect(container.innerHTML).toBe('');
  });
});
