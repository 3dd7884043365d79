import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { FacilitatorPanel } from './FacilitatorPanel';
import { circleWith, member } from '../test/fakeSocket';

const state = circleWith([member('fran', 1, { role: 'facilitator' }), member('ann', 2)]);

describe('FacilitatorPanel timer', () => {
  it('starts the chosen preset with the label', () => {
    const act = vi.fn();
    render(<FacilitatorPanel state={state} me="fran" act={act} selectedId={null} onClearSelection={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: '5 min' }));
    fireEvent.change(screen.getByLabelText('Timer label (optional)'), { target: { value: ' Open sentences ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start timer' }));
    expect(act).toHaveBeenCalledWith({ type: 'timer.start', durationMs: 300_000, label: 'Open sentences' });
  });

  it('uses valid custom minutes, and refuses an impossible value instead of starting a preset', () => {
    const act = vi.fn();
    render(<FacilitatorPanel state={state} me="fran" act={act} selectedId={null} onClearSelection={() => {}} />);
    const custom = screen.getByLabelText('Custom minutes');
    fireEvent.change(custom, { target: { value: '500' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start timer' }));
    expect(act).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toMatch(/240 minutes/);
    expect(custom.getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(custom, { target: { value: '7.5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start timer' }));
    expect(act).toHaveBeenCalledWith({ type: 'timer.start', durationMs: 450_000 });
  });
});
