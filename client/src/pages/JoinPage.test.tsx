import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { JoinPage } from './JoinPage';
import { HomePage } from './HomePage';
import { loadMediaPreferences } from '../media/media-preferences';

const summary = { circleId: 'abc', title: 'Dawn circle', stage: 'gratitude', participantCount: 3, locked: false };

afterEach(() => vi.unstubAllGlobals());

function serveSummary() {
  vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(summary), { status: 200, headers: { 'content-type': 'application/json' } })));
}

describe('JoinPage: the camera check is asked once', () => {
  it('is open on the first visit, remembers the camera and unmute choices, and joining answers it', async () => {
    serveSummary();
    const onJoin = vi.fn();
    const first = render(<JoinPage circleId="abc" asFacilitator={false} onJoin={onJoin} />);
    await screen.findByRole('heading', { name: 'Dawn circle' });
    const camera = (await screen.findByRole('checkbox', { name: 'Camera on when I join' })) as HTMLInputElement;
    expect(camera.checked).toBe(true);
    fireEvent.click(camera);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Unmute me when the piece comes to me' }));
    expect(loadMediaPreferences()).toMatchObject({ cameraOn: false, autoUnmute: true, checked: false });
    // Where the browser offers no camera here, it says so in people's words (jsdom has none).
    expect((await screen.findByText(/cannot use a camera or microphone here/)).textContent).toMatch(/see and hear everyone/);
    fireEvent.change(screen.getByLabelText('Your name'), { target: { value: 'Rosa' } });
    fireEvent.click(screen.getByRole('button', { name: 'Join' }));
    expect(onJoin).toHaveBeenCalledWith('Rosa');
    expect(loadMediaPreferences().checked).toBe(true);
    first.unmount();

    // The next visit: a line saying what joining will do, and the check behind a button.
    render(<JoinPage circleId="abc" asFacilitator={false} onJoin={onJoin} />);
    await screen.findByRole('heading', { name: 'Dawn circle' });
    expect(screen.queryByRole('checkbox', { name: 'Camera on when I join' })).toBeNull();
    expect(screen.getByText('You join with your camera off; your microphone unmutes when the piece comes to you.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Check camera and microphone' }));
    expect(((await screen.findByRole('checkbox', { name: 'Camera on when I join' })) as HTMLInputElement).checked).toBe(false);
  });
});

describe('HomePage: the facilitator is told what size needs a video server', () => {
  it('before creating, says up to how many people video runs without a server', () => {
    render(<HomePage />);
    expect(screen.getByText(/Video runs directly between browsers for up to 12 people.*needs a video server \(LiveKit\)/)).toBeTruthy();
  });
});
