import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { CONVERSATION_CAFE_AGREEMENTS, STAGES } from '@spiral/shared';
import { Centre, SharedTimer } from './Centre';
import { Spotlight } from './Spotlight';
import { circleWith, member } from '../test/fakeSocket';

const clock = { now: () => 1_060_000 };

describe('Centre', () => {
  it('names the stage, gives its guidance and marks it on the spiral with the cycle', () => {
    const state = circleWith([member('ann', 1)], { stage: { key: 'new-eyes', cycle: 2, since: 1 } });
    render(<Centre state={state} clock={clock} />);
    const info = STAGES[2];
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe(info?.name);
    expect(screen.getByText(info?.guidance ?? '')).toBeTruthy();
    const spiral = screen.getByRole('list', { name: 'The spiral, cycle 2' });
    const current = spiral.querySelectorAll('[aria-current="step"]');
    expect(current).toHaveLength(1);
    expect(current[0]?.textContent).toContain('New Eyes');
    expect(screen.getByText(/cycle 2/)).toBeTruthy();
  });

  it('shows the shared timer (status strip) and, in the spotlight, the holder with their speaking time against the limit', () => {
    const state = circleWith([member('ann', 1), member('ben', 2)], {
      piece: { mode: 'round', holderId: 'ben', since: 1_000_000, queue: [] },
      timer: { label: 'Open sentences', durationMs: 300_000, running: false, endsAt: null, remainingMs: 125_000 },
    });
    render(
      <>
        <SharedTimer state={state} clock={clock} />
        <Spotlight state={state} me="ann" clock={clock} />
      </>,
    );
    expect(screen.getByRole('timer', { name: 'Open sentences' }).textContent).toBe('2:05');
    expect(screen.getByText('1:00 of 2:00')).toBeTruthy();
    expect(screen.getByRole('group', { name: 'Speaking now' }).querySelector('.spotlight__name')?.textContent).toBe('Ben');
  });

  it('shows in the spotlight the active speaker in open conversation, and the piece when it lies in the centre', () => {
    const people = [member('ann', 1), member('ben', 2)];
    const open = circleWith(people, { piece: { mode: 'open', holderId: null, since: null, queue: [] } });
    const media = { ann: { stream: null, videoOn: false, speaking: false }, ben: { stream: null, videoOn: false, speaking: true } };
    const { rerender } = render(<Spotlight state={open} me="ann" clock={clock} media={media} />);
    expect(document.querySelector('.spotlight__name')?.textContent).toBe('Ben');
    rerender(<Spotlight state={circleWith(people)} me="ann" clock={clock} media={media} />);
    expect(document.querySelector('.spotlight__name')).toBeNull();
    expect(screen.getByText('The talking piece lies in the centre')).toBeTruthy();
  });

  it('says so gently when the speaker’s time is up', () => {
    const state = circleWith([member('ann', 1)], { piece: { mode: 'round', holderId: 'ann', since: 1_000_000, queue: [] } });
    render(<Spotlight state={state} me="ann" clock={{ now: () => 1_000_000 + 130_000 }} />);
    expect(screen.getByText('2:10 of 2:00')).toBeTruthy();
    expect(screen.getByText(/time to draw to a close/)).toBeTruthy();
  });

  it('lists the agreements only when the circle has them', () => {
    const plain = circleWith([member('ann', 1)]);
    const { rerender } = render(<Centre state={plain} clock={clock} />);
    expect(screen.queryByRole('heading', { name: 'Our agreements' })).toBeNull();
    rerender(<Centre state={{ ...plain, template: 'conversation-cafe', agreements: [...CONVERSATION_CAFE_AGREEMENTS] }} clock={clock} />);
    expect(screen.getByRole('heading', { name: 'Our agreements' })).toBeTruthy();
    expect(screen.getByText(CONVERSATION_CAFE_AGREEMENTS[5])).toBeTruthy();
  });
});
