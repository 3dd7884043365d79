import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import type { CircleState, Command } from '@spiral/shared';
import { PlanEditor } from './PlanEditor';
import type { SendResult } from '../circle/useCircleConnection';
import { cafe, spiral } from './testCircles';

function setup(state: CircleState = cafe(null), answer: SendResult = { ok: true, version: 2 }) {
  const send = vi.fn(async (_cmd: Command): Promise<SendResult> => answer);
  const act_ = vi.fn();
  const onClose = vi.fn();
  const view = render(<PlanEditor state={state} me="f" send={send} act={act_} onClose={onClose} />);
  const rerender = (next: CircleState) => view.rerender(<PlanEditor state={next} me="f" send={send} act={act_} onClose={onClose} />);
  return { send, act: act_, onClose, rerender };
}

const titles = () => within(screen.getByRole('list', { name: 'Steps' })).getAllByRole('listitem').map((li) => li.querySelector('.plan-step__title')?.firstChild?.textContent);
const save = async () => {
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Save plan' }));
  });
};

describe('the plan editor', () => {
  it('adds, reorders and removes steps, and saves them with plan.set (ids kept, the new step without one)', async () => {
    const state = cafe(null);
    const ids = state.plan.steps.map((s) => s.id);
    const { send, onClose } = setup(state);
    expect(titles()).toEqual(['Agreements and the question', 'Round 1', 'Round 2', 'Open dialogue', 'Final round']);

    fireEvent.click(screen.getByRole('button', { name: 'Remove: Round 2' }));
    fireEvent.click(screen.getByRole('button', { name: 'Move up: Final round' }));
    expect(titles()).toEqual(['Agreements and the question', 'Round 1', 'Final round', 'Open dialogue']);
    // Focus stays on the button that moved the step.
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Move up: Final round');

    fireEvent.click(screen.getByRole('button', { name: /Add a step/ }));
    const title = screen.getByLabelText('Title');
    expect(document.activeElement).toBe(title);
    fireEvent.change(title, { target: { value: '  Closing words ' } });
    fireEvent.change(screen.getByLabelText('Prompt'), { target: { value: 'One word each.' } });
    fireEvent.change(screen.getByLabelText('Talking piece'), { target: { value: 'popcorn' } });
    fireEvent.change(screen.getByLabelText('Minutes per speaker'), { target: { value: '1,5' } });
    fireEvent.change(screen.getByLabelText('Step timer, minutes'), { target: { value: '10' } });
    fireEvent.change(screen.getByLabelText('People gather as'), { target: { value: 'triads' } });
    // A café's editor never speaks of the spiral's stages.
    expect(screen.queryByLabelText('Stage of the spiral')).toBeNull();
    await save();

    expect(send).toHaveBeenCalledOnce();
    const cmd = send.mock.calls[0]![0];
    expect(cmd.type).toBe('plan.set');
    const steps = cmd.type === 'plan.set' ? cmd.steps : [];
    expect(steps.map((s) => s.id)).toEqual([ids[0], ids[1], ids[4], ids[3], undefined]);
    expect(steps[2]).toEqual({ ...state.plan.steps[4] });
    expect(steps[4]).toEqual({ title: 'Closing words', stage: 'gratitude', prompt: 'One word each.', mode: 'popcorn', speakerTimeMs: 90_000, durationMs: 600_000, grouping: 'triads' });
    expect(onClose).toHaveBeenCalledOnce();
  });

  it('shows why a field cannot be saved, next to it, and sends nothing', async () => {
    const { send, onClose } = setup(cafe(null));
    fireEvent.click(screen.getByRole('button', { name: /Add a step/ }));
    fireEvent.change(screen.getByLabelText('Minutes per speaker'), { target: { value: 'soon' } });
    fireEvent.change(screen.getByLabelText('Step timer, minutes'), { target: { value: '90' } });
    fireEvent.change(screen.getByLabelText('People gather as'), { target: { value: 'pairs' } });
    await save();
    expect(send).not.toHaveBeenCalled();
    expect(onClose).not.toHaveBeenCalled();
    const title = screen.getByLabelText('Title');
    expect(title.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Give the step a title (up to 120 characters).').id).toBe(title.getAttribute('aria-describedby')?.split(' ')[0]);
    expect(document.activeElement).toBe(title);
    expect(screen.getByLabelText('Minutes per speaker').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/Between 10 seconds and 30 minutes/)).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toMatch(/One step needs a change/);
    // Fixed, an error goes away with the edit; in pairs a step lasts at most an hour (the schema's refinement, in words).
    fireEvent.change(title, { target: { value: 'Pairs' } });
    expect(title.getAttribute('aria-invalid')).toBeNull();
    fireEvent.change(screen.getByLabelText('Minutes per speaker'), { target: { value: '2' } });
    await save();
    expect(send).not.toHaveBeenCalled();
    expect(screen.getByText(/In pairs a step lasts between 10 seconds and 60 minutes/)).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText('Step timer, minutes'));
  });

  it('edits an existing step, keeping untouched times exactly, and offers the stage in a spiral circle', async () => {
    const state = spiral(null);
    const { send } = setup(state);
    fireEvent.click(screen.getByRole('button', { name: 'Edit: Truth Mandala' }));
    fireEvent.change(screen.getByLabelText('Stage of the spiral'), { target: { value: 'new-eyes' } });
    await save();
    const cmd = send.mock.calls[0]![0];
    const steps = cmd.type === 'plan.set' ? cmd.steps : [];
    expect(steps[3]).toEqual({ ...state.plan.steps[3], stage: 'new-eyes' });
    expect(steps.filter((_, i) => i !== 3)).toEqual(state.plan.steps.filter((_, i) => i !== 3));
  });

  it('saves nothing while nothing changed', () => {
    setup(cafe(null));
    expect((screen.getByRole('button', { name: 'Save plan' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('goes to a step with plan.go, at its index in the circle’s plan', () => {
    const { act: act_ } = setup(cafe(1));
    expect(screen.getByText('Now')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Go to this step: Open dialogue' }));
    expect(act_).toHaveBeenCalledWith({ type: 'plan.go', index: 3 });
  });

  it('loses nothing when a snapshot arrives mid-edit, and warns when the plan changed meanwhile', () => {
    const state = cafe(null);
    const { rerender } = setup(state);
    fireEvent.click(screen.getByRole('button', { name: 'Edit: Round 1' }));
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'First round' } });
    // Another snapshot, the plan the same: the draft stays, no warning.
    rerender({ ...state, version: state.version + 1, participants: state.participants.slice(0, 2) });
    expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('First round');
    expect(screen.queryByText(/The plan changed while you were editing/)).toBeNull();
    // Another facilitator saved a different plan.
    const changed = { ...state, version: state.version + 2, plan: { ...state.plan, steps: state.plan.steps.slice(0, 3) } };
    rerender(changed);
    expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('First round');
    expect(screen.getByText(/The plan changed while you were editing/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Load the latest plan instead' }));
    expect(titles()).toEqual(['Agreements and the question', 'Round 1', 'Round 2']);
  });

  it('follows the circle’s plan while the draft is untouched', () => {
    const state = cafe(null);
    const { rerender } = setup(state);
    rerender({ ...state, version: state.version + 1, plan: { ...state.plan, steps: state.plan.steps.slice(1) } });
    expect(titles()).toEqual(['Round 1', 'Round 2', 'Open dialogue', 'Final round']);
    expect(screen.queryByText(/The plan changed while you were editing/)).toBeNull();
  });

  it('asks before closing with unsaved changes, and shows a refusal from the server', async () => {
    const { onClose } = setup(cafe(null), { ok: false, error: { code: 'forbidden', message: 'Only a facilitator can change the plan.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Remove: Final round' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onClose).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Keep editing' }));
    await save();
    expect(screen.getByRole('alert').textContent).toBe('Only a facilitator can change the plan.');
    expect(onClose).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    fireEvent.click(screen.getByRole('button', { name: 'Discard changes' }));
    expect(onClose).toHaveBeenCalledOnce();
  });
});
