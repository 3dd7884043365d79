import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen } from '@testing-library/react';
import type { CircleState, Command } from '@spiral/shared';
import { IntentionPanel } from './IntentionPanel';
import type { SendResult } from '../circle/useCircleConnection';
import { loadIntentionDraft } from '../lib/storage';
import { spiral } from './testCircles';

const forth = (patch: Partial<CircleState> = {}) => spiral(5, { stage: { key: 'going-forth', cycle: 1, since: 1 }, ...patch });

function setup(state: CircleState, answer: SendResult = { ok: true, version: 3 }) {
  const send = vi.fn(async (_cmd: Command): Promise<SendResult> => answer);
  const view = render(<IntentionPanel circleId="c1" state={state} me="a" send={send} />);
  const rerender = (next: CircleState) => view.rerender(<IntentionPanel circleId="c1" state={next} me="a" send={send} />);
  return { send, rerender };
}
const click = async (name: string) => {
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name }));
  });
};

describe('the intention panel', () => {
  it('keeps the draft on this device only, until it is shared', async () => {
    const { send } = setup(forth());
    const box = screen.getByLabelText(/What will you do for the world/);
    fireEvent.change(box, { target: { value: 'Plant a hedge with the school.' } });
    expect(loadIntentionDraft('c1')).toBe('Plant a hedge with the school.');
    expect(send).not.toHaveBeenCalled();
    expect(screen.getByText(/Private until you share it/)).toBeTruthy();
  });

  it('brings the draft back after a reload', () => {
    window.localStorage.setItem('spiral:intention:c1', 'Call my sister.');
    setup(forth());
    expect((screen.getByLabelText(/What will you do for the world/) as HTMLTextAreaElement).value).toBe('Call my sister.');
  });

  it('shares with intention.share, then forgets the private draft', async () => {
    const { send, rerender } = setup(forth());
    fireEvent.change(screen.getByLabelText(/What will you do/), { target: { value: '  Plant a hedge.  ' } });
    await click('Share with the circle');
    expect(send).toHaveBeenCalledWith({ type: 'intention.share', text: 'Plant a hedge.' });
    expect(loadIntentionDraft('c1')).toBe('');
    rerender(forth({ intentions: [{ participantId: 'a', text: 'Plant a hedge.', at: 5 }] }));
    expect(screen.getByText('Shared with the circle.')).toBeTruthy();
    expect(screen.getByText('Ann (you)')).toBeTruthy();
  });

  it('takes it back with intention.withdraw, and the words return to the private draft', async () => {
    const { send } = setup(forth({ intentions: [{ participantId: 'a', text: 'Plant a hedge.', at: 5 }] }));
    await click('Take back');
    expect(send).toHaveBeenCalledWith({ type: 'intention.withdraw' });
    expect(loadIntentionDraft('c1')).toBe('Plant a hedge.');
  });

  it('lists the intentions shared in the circle, with names', () => {
    setup(forth({ intentions: [{ participantId: 'b', text: 'Join the river clean-up.', at: 5 }] }));
    expect(screen.getByText('Ben')).toBeTruthy();
    expect(screen.getByText('Join the river clean-up.')).toBeTruthy();
  });

  it('cannot share an empty intention, and shows a refusal from the server', async () => {
    setup(forth(), { ok: false, error: { code: 'rate_limited', message: 'Slow down a little.' } });
    const share = screen.getByRole('button', { name: 'Share with the circle' }) as HTMLButtonElement;
    expect(share.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText(/What will you do/), { target: { value: 'x' } });
    await click('Share with the circle');
    expect(screen.getByRole('alert').textContent).toBe('Slow down a little.');
    expect(loadIntentionDraft('c1')).toBe('x');
  });

  it('waits for Going Forth (unless something was written or shared already)', () => {
    const { rerender } = setup(spiral(0));
    expect(screen.queryByRole('heading', { name: 'Your intention' })).toBeNull();
    rerender(spiral(0, { intentions: [{ participantId: 'b', text: 'x', at: 1 }] }));
    expect(screen.getByRole('heading', { name: 'Your intention' })).toBeTruthy();
  });
});
