import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { STAGES } from '@spiral/shared';
import { StepHeader } from './StepHeader';
import { Centre, SharedTimer } from '../circle/Centre';
import { cafe, spiral } from './testCircles';

const clock = { now: () => 1_700_000_100_000 };

describe('the step header', () => {
  it('puts the current step first: "Step 2 of 5 · Round 1", then its prompt, and shows the question', () => {
    const state = cafe(1);
    render(<StepHeader state={state} />);
    const heading = screen.getByRole('heading', { level: 2 });
    expect(heading.textContent).toBe('Step 2 of 5 · Round 1');
    expect(screen.getByText(state.plan.steps[1]!.prompt)).toBeTruthy();
    expect(screen.getByText('What is enough?')).toBeTruthy();
    expect(screen.getByText('About 1 min each')).toBeTruthy();
  });

  it('shows the first step as "Up next" before the plan starts', () => {
    render(<StepHeader state={cafe(null)} />);
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Up next · Step 1 of 5 · Agreements and the question');
  });

  it('shows a café no stage of the spiral: neither in the header nor in the centre', () => {
    const state = cafe(1);
    render(
      <>
        <StepHeader state={state} />
        <Centre state={state} clock={clock} />
      </>,
    );
    for (const stage of STAGES) {
      expect(screen.queryByText(stage.name)).toBeNull();
      expect(screen.queryByText(stage.shortName)).toBeNull();
      expect(screen.queryByText(stage.guidance)).toBeNull();
    }
    expect(screen.queryByRole('list', { name: /The spiral/ })).toBeNull();
    expect(screen.getByRole('heading', { name: 'Our agreements' })).toBeTruthy();
  });

  it('keeps the stage and the spiral in a circle of The Work That Reconnects', () => {
    const state = spiral(3, { stage: { key: 'honoring-pain', cycle: 1, since: 1 } });
    render(
      <>
        <StepHeader state={state} />
        <Centre state={state} clock={clock} />
      </>,
    );
    expect(screen.getByRole('heading', { name: 'Step 4 of 7 · Truth Mandala' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Honoring our Pain for the World' })).toBeTruthy();
    expect(screen.getByRole('list', { name: 'The spiral, cycle 1' })).toBeTruthy();
  });

  it('hides the idle shared timer named after an earlier step while a step without a timer runs', () => {
    const ran = cafe(1, { timer: { label: 'Agreements and the question', durationMs: 600_000, running: false, endsAt: null, remainingMs: 600_000 } });
    const { rerender } = render(<SharedTimer state={ran} clock={clock} />);
    expect(screen.queryByRole('timer')).toBeNull();
    rerender(<SharedTimer state={cafe(3, { timer: { label: 'Open dialogue', durationMs: 1_800_000, running: false, endsAt: null, remainingMs: 900_000 } })} clock={clock} />);
    expect(screen.getByRole('timer', { name: 'Open dialogue' })).toBeTruthy();
  });

  it('is left out when the circle has neither a plan nor a question', () => {
    const open = cafe(null, { template: 'open', question: '', plan: { steps: [], current: null, history: [] } });
    const { container } = render(<StepHeader state={open} />);
    expect(container.textContent).toBe('');
  });

  it('tells a screen reader when a step begins', () => {
    const { rerender } = render(<StepHeader state={cafe(null)} />);
    const live = document.querySelector('[aria-live="polite"]');
    expect(live?.textContent).toBe('');
    const begun = cafe(0);
    rerender(<StepHeader state={{ ...begun, plan: { ...begun.plan, history: [{ stepId: begun.plan.steps[0]!.id, title: 'x', startedAt: 1 }] } }} />);
    expect(live?.textContent).toMatch(/^Now: step 1 of 5, Agreements and the question\./);
  });
});
