import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { FacilitatorPanel } from './FacilitatorPanel';
import { FacilitatorDock } from './FacilitatorDock';
import { SeatActions } from './SeatActions';
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

describe('FacilitatorPanel: a minute more or less', () => {
  const running = circleWith(state.participants, { timer: { label: '', durationMs: 300_000, running: true, endsAt: 10_000_000, remainingMs: 300_000 } });

  it('offers −1 min beside the running timer and +1 min in the dock, and sends timer.add', () => {
    const act = vi.fn();
    render(
      <>
        <FacilitatorPanel state={running} me="fran" act={act} />
        <FacilitatorDock state={running} me="fran" act={act} onEditPlan={() => {}} />
      </>,
    );
    fireEvent.click(screen.getByRole('button', { name: '+1 min' }));
    fireEvent.click(screen.getByRole('button', { name: '−1 min' }));
    expect(act.mock.calls.map(([cmd]) => cmd)).toEqual([
      { type: 'timer.add', ms: 60_000 },
      { type: 'timer.add', ms: -60_000 },
    ]);
  });

  it('offers neither for a timer that was never started or has finished (the server would refuse)', () => {
    const finished = circleWith(state.participants, { timer: { label: '', durationMs: 300_000, running: false, endsAt: null, remainingMs: 0 } });
    for (const s of [state, finished]) {
      const { unmount } = render(
        <>
          <FacilitatorPanel state={s} me="fran" act={vi.fn()} />
          <FacilitatorDock state={s} me="fran" act={vi.fn()} onEditPlan={() => {}} />
        </>,
      );
      expect(screen.queryByRole('button', { name: '+1 min' })).toBeNull();
      expect(screen.queryByRole('button', { name: '−1 min' })).toBeNull();
      unmount();
    }
  });
});

describe('SeatActions: beside the chosen seat', () => {
  it('puts focus on the first action, and Escape closes it and returns focus to the seat', () => {
    const onClose = vi.fn();
    render(
      <>
        <div data-participant-id="ann">
          <button type="button" className="seat__button">
            Ann
          </button>
        </div>
        <SeatActions state={state} me="fran" participantId="ann" act={vi.fn()} onClose={onClose} />
      </>,
    );
    expect(document.activeElement?.textContent).toBe('Give the piece to Ann');
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(onClose).toHaveBeenCalled();
    expect(document.activeElement?.textContent).toBe('Ann');
  });
});

describe('FacilitatorPanel: co-facilitators', () => {
  it('makes a participant a co-facilitator', () => {
    const act = vi.fn();
    render(<SeatActions state={state} me="fran" participantId="ann" act={act} onClose={() => {}} />);
    expect(screen.queryByRole('button', { name: 'Make participant' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Make co-facilitator' }));
    expect(act).toHaveBeenCalledWith({ type: 'participant.role', participantId: 'ann', role: 'facilitator' });
  });

  it('makes a co-facilitator a participant again, but never offers it to the last facilitator', () => {
    const act = vi.fn();
    const two = circleWith([member('fran', 1, { role: 'facilitator' }), member('ann', 2, { role: 'facilitator' })]);
    const { unmount } = render(<SeatActions state={two} me="fran" participantId="ann" act={act} onClose={() => {}} />);
    expect(screen.queryByRole('button', { name: 'Make co-facilitator' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Make participant' }));
    expect(act).toHaveBeenCalledWith({ type: 'participant.role', participantId: 'ann', role: 'participant' });
    unmount();
    render(<SeatActions state={state} me="fran" participantId="fran" act={act} onClose={() => {}} />);
    expect(screen.queryByRole('button', { name: 'Make participant' })).toBeNull();
  });
});

describe('FacilitatorPanel: seat order', () => {
  const four = circleWith([member('fran', 1, { role: 'facilitator' }), member('ann', 2), member('ben', 3), member('cy', 4)]);
  const names = () => [...document.querySelectorAll('.seat-order__name')].map((el) => el.textContent);

  it('moves seats up and down with buttons (the keyboard way), then sends every member once with seats.order', () => {
    const act = vi.fn();
    render(<FacilitatorPanel state={four} me="fran" act={act} selectedId={null} onClearSelection={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'Seat order…' }));
    expect(names()).toEqual(['Fran', 'Ann', 'Ben', 'Cy']);
    const save = screen.getByRole('button', { name: 'Save seat order' });
    expect(save).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByRole('button', { name: 'Move Cy up' }));
    fireEvent.click(screen.getByRole('button', { name: 'Move Cy up' }));
    fireEvent.click(screen.getByRole('button', { name: 'Move Fran down' }));
    expect(names()).toEqual(['Cy', 'Fran', 'Ann', 'Ben']);
    // The top seat cannot go higher: the button stays focusable but does nothing.
    const cyUp = screen.getByRole('button', { name: 'Move Cy up' });
    expect(cyUp.getAttribute('aria-disabled')).toBe('true');
    fireEvent.click(cyUp);
    expect(names()).toEqual(['Cy', 'Fran', 'Ann', 'Ben']);
    fireEvent.click(screen.getByRole('button', { name: 'Save seat order' }));
    expect(act).toHaveBeenCalledWith({ type: 'seats.order', participantIds: ['cy', 'fran', 'ann', 'ben'] });
  });

  it('reorders by dragging too, and cancels without sending', () => {
    const act = vi.fn();
    render(<FacilitatorPanel state={four} me="fran" act={act} selectedId={null} onClearSelection={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'Seat order…' }));
    const items = document.querySelectorAll('.seat-order__item');
    const dataTransfer = { setData: () => {}, effectAllowed: '' };
    fireEvent.dragStart(items[3]!, { dataTransfer });
    fireEvent.dragOver(items[0]!, { dataTransfer });
    fireEvent.drop(items[0]!, { dataTransfer });
    expect(names()).toEqual(['Cy', 'Fran', 'Ann', 'Ben']);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(act).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Seat order…' })).toBeTruthy();
  });

  it('gives a café host no stage of the spiral to choose, and a spiral host all four', () => {
    const cafe = { ...state, template: 'conversation-cafe' as const };
    const { unmount } = render(
      <>
        <FacilitatorPanel state={cafe} me="fran" act={vi.fn()} />
        <FacilitatorDock state={cafe} me="fran" act={vi.fn()} onEditPlan={() => {}} />
      </>,
    );
    expect(screen.queryByRole('button', { name: 'Advance stage' })).toBeNull();
    expect(screen.queryByRole('group', { name: 'Choose a stage' })).toBeNull();
    unmount();
    render(
      <>
        <FacilitatorPanel state={state} me="fran" act={vi.fn()} />
        <FacilitatorDock state={state} me="fran" act={vi.fn()} onEditPlan={() => {}} />
      </>,
    );
    expect(screen.getByRole('button', { name: 'Advance stage' })).toBeTruthy();
    expect(screen.getAllByRole('button', { name: /Gratitude|Honoring Pain|New Eyes|Going Forth/ })).toHaveLength(4);
  });
});
