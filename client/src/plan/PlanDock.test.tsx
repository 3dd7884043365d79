import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { PlanDock } from './PlanDock';
import { cafe } from './testCircles';
import CircleScreen from '../circle/CircleScreen';
import type { Cues } from '../circle/sound';
import { fakeFactory } from '../test/fakeSocket';
import { updateCircleMemory } from '../lib/storage';

describe('the facilitator’s Next button', () => {
  it('names the next step and sends plan.next', () => {
    const act_ = vi.fn();
    render(<PlanDock state={cafe(1)} me="f" act={act_} onEditPlan={() => {}} />);
    expect(screen.getByText('Step 2 of 5 · Round 1')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Next: Round 2' }));
    expect(act_).toHaveBeenCalledWith({ type: 'plan.next' });
  });

  it('begins with the first step before the plan starts', () => {
    const act_ = vi.fn();
    render(<PlanDock state={cafe(null)} me="f" act={act_} onEditPlan={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'Begin: Agreements and the question' }));
    expect(act_).toHaveBeenCalledWith({ type: 'plan.next' });
  });

  it('is gone past the last step, and says it is the last', () => {
    render(<PlanDock state={cafe(4)} me="f" act={() => {}} onEditPlan={() => {}} />);
    expect(screen.queryByRole('button', { name: /^(Next|Begin):/ })).toBeNull();
    expect(screen.getByText('Last step')).toBeTruthy();
  });

  it('offers to make a plan when there is none', () => {
    const onEditPlan = vi.fn();
    render(<PlanDock state={cafe(null, { plan: { steps: [], current: null, history: [] } })} me="f" act={() => {}} onEditPlan={onEditPlan} />);
    expect(screen.getByText('No plan yet')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^(Next|Begin):/ })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Make a plan' }));
    expect(onEditPlan).toHaveBeenCalledOnce();
  });

  it('is never offered to someone the server would refuse', () => {
    render(<PlanDock state={cafe(1)} me="a" act={() => {}} onEditPlan={() => {}} />);
    expect(screen.queryByRole('button', { name: /^Next:/ })).toBeNull();
  });
});

describe('the plan in the room', () => {
  const silent: Cues = { chime: () => {}, softCue: () => {}, pieceArrived: () => {}, unlock: () => {} } as unknown as Cues;

  function enter(me: 'f' | 'a') {
    updateCircleMemory('c1', { name: me, facilitatorKey: me === 'f' ? 'key' : undefined });
    const { factory, sockets } = fakeFactory();
    render(<CircleScreen circleId="c1" socketFactory={factory} cues={silent} onNeedName={() => {}} onForgetKey={() => {}} />);
    const socket = sockets[0]!;
    act(() => socket.accept(me, cafe(1)));
    return socket;
  }

  it('gives the facilitator the Next button and the plan, and sends plan.next', () => {
    const socket = enter('f');
    expect(screen.getByRole('heading', { name: 'Step 2 of 5 · Round 1' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Next: Round 2' }));
    expect(socket.commands.map((c) => c.cmd)).toEqual([{ type: 'plan.next' }]);
    expect(screen.getByRole('heading', { name: 'Session plan' })).toBeTruthy();
  });

  it('shows a participant the step and the question, and no plan controls', () => {
    enter('a');
    expect(screen.getByRole('heading', { name: 'Step 2 of 5 · Round 1' })).toBeTruthy();
    expect(screen.getByText('What is enough?')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Next:/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Edit plan' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Download harvest/ })).toBeNull();
  });

  it('opens the editor from the dock and gives focus back when it closes', () => {
    enter('f');
    const opener = screen.getAllByRole('button', { name: 'Edit plan' })[0]!;
    opener.focus();
    fireEvent.click(opener);
    const dialog = screen.getByRole('dialog', { name: 'The session plan' });
    expect(document.activeElement?.textContent).toBe('The session plan');
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });
});
