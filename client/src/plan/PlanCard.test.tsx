import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { PlanCard } from './PlanCard';
import { spiral } from './testCircles';

describe('the facilitator’s plan card', () => {
  it('lists the steps, done, now and to come, and goes to one with plan.go', () => {
    const state = spiral(2);
    const base = { ...state, plan: { ...state.plan, history: state.plan.steps.slice(0, 3).map((s, i) => ({ stepId: s.id, title: s.title, startedAt: i })) } };
    const act = vi.fn();
    render(<PlanCard state={base} me="f" act={act} onEditPlan={() => {}} />);
    const current = screen.getByRole('listitem', { current: 'step' });
    expect(current.textContent).toContain('Open Sentences in pairs');
    expect(screen.queryByRole('button', { name: 'Go to this step: Open Sentences in pairs' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Go to this step: Truth Mandala' }));
    expect(act).toHaveBeenCalledWith({ type: 'plan.go', index: 3 });
  });

  it('downloads the harvest as Markdown, made in the browser', async () => {
    const created: Blob[] = [];
    const createObjectURL = vi.fn((blob: Blob) => {
      created.push(blob);
      return 'blob:harvest';
    });
    const original = { createObjectURL: URL.createObjectURL, revokeObjectURL: URL.revokeObjectURL };
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const clicked: HTMLAnchorElement[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    const state = { ...spiral(null), question: 'What now?', intentions: [{ participantId: 'b', text: 'Mend things.', at: 1 }] };
    render(<PlanCard state={state} me="f" act={() => {}} onEditPlan={() => {}} now={() => Date.UTC(2024, 5, 1, 12)} />);
    fireEvent.click(screen.getByRole('button', { name: 'Download harvest (.md)' }));
    expect(clicked[0]?.download).toBe('harvest-saturday-spiral-2024-06-01.md');
    expect(clicked[0]?.href).toBe('blob:harvest');
    const text = await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.readAsText(created[0]!);
    });
    expect(created[0]?.type).toBe('text/markdown;charset=utf-8');
    expect(text).toContain('# Saturday spiral');
    expect(text).toContain('> What now?');
    expect(text).toContain('### Ben\n\n> Mend things.');
    click.mockRestore();
    Object.assign(URL, original);
  });
});
