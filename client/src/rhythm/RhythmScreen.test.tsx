import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen } from '@testing-library/react';
import CircleScreen from '../circle/CircleScreen';
import type { Cues } from '../circle/sound';
import { circleWith, fakeFactory, member } from '../test/fakeSocket';
import { updateCircleMemory } from '../lib/storage';
import { GESTURE_MARK_MS, gestureTarget } from './gestures';

const people = [member('ann', 1, { role: 'facilitator' }), member('ben', 2), member('cara', 3)];
const silent: Cues = { chime: () => {}, softCue: () => {}, pieceArrived: () => {}, unlock: () => {} };

function setup(me: string, state = circleWith(people)) {
  updateCircleMemory('c1', { name: me, facilitatorKey: me === 'ann' ? 'key-1' : undefined });
  const { factory, sockets } = fakeFactory();
  const view = render(<CircleScreen circleId="c1" socketFactory={factory} cues={silent} onNeedName={vi.fn()} onForgetKey={vi.fn()} />);
  const socket = sockets[0];
  if (!socket) throw new Error('no socket created');
  act(() => socket.accept(me, state));
  return { socket, container: view.container };
}

const seat = (container: HTMLElement, id: string) => container.querySelector<HTMLElement>(`.seat[data-participant-id="${id}"]`);

describe('Gestures in the circle', () => {
  afterEach(() => vi.useRealTimers());

  it('sends a gesture, and answers a refusal (rate_limited) quietly', async () => {
    const { socket } = setup('cara');
    fireEvent.click(screen.getByRole('button', { name: 'Send a heart' }));
    fireEvent.click(screen.getByRole('button', { name: 'Send “I hear you”' }));
    fireEvent.click(screen.getByRole('button', { name: 'Send thanks' }));
    expect(socket.commands.map((c) => c.cmd)).toEqual([
      { type: 'gesture.send', kind: 'heart' },
      { type: 'gesture.send', kind: 'hear' },
      { type: 'gesture.send', kind: 'thanks' },
    ]);
    await act(async () => socket.commands[1]?.ack({ ok: false, error: { code: 'rate_limited', message: 'Slow down a little.' } }));
    expect(screen.queryByText('Slow down a little.')).toBeNull();
    expect(document.querySelector('.toast')).toBeNull();
  });

  it('shows a received gesture briefly on the speaker’s seat, for everyone, and near the centre when nobody holds the piece', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const held = circleWith(people, { piece: { mode: 'round', holderId: 'ben', since: Date.now(), queue: [] } });
    const { socket, container } = setup('ann', held);
    act(() => socket.fire('circle:gesture', { from: 'cara', kind: 'heart', at: Date.now() }));
    expect(seat(container, 'ben')?.querySelector('.gesture-mark--heart')).not.toBeNull();
    expect(seat(container, 'cara')?.querySelector('.gesture-mark')).toBeNull();
    act(() => vi.advanceTimersByTime(GESTURE_MARK_MS));
    expect(container.querySelector('.gesture-mark')).toBeNull();

    act(() => socket.fire('circle:state', { ...held, version: held.version + 1, piece: { ...held.piece, holderId: null, since: null } }));
    act(() => socket.fire('circle:gesture', { from: 'cara', kind: 'thanks', at: Date.now() }));
    expect(screen.getByTestId('centre-marks').querySelector('.gesture-mark--thanks')).not.toBeNull();
    expect(container.querySelector('.seat .gesture-mark')).toBeNull();
  });

  it('ignores a malformed gesture event', () => {
    const { socket, container } = setup('ben');
    act(() => socket.fire('circle:gesture', { from: 'cara', kind: 'boo', at: 1 } as never));
    expect(container.querySelector('.gesture-mark')).toBeNull();
  });

  it('places a gesture on the holder, or the centre in open mode', () => {
    expect(gestureTarget(circleWith(people, { piece: { mode: 'popcorn', holderId: 'cara', since: 1, queue: [] } }))).toBe('cara');
    expect(gestureTarget(circleWith(people, { piece: { mode: 'open', holderId: null, since: null, queue: [] } }))).toBeNull();
    expect(gestureTarget(circleWith(people))).toBeNull();
  });
});

describe('Passing the piece with `from`', () => {
  it('sends the holder it sees, and keeps "Pass the piece" disabled until the ack', async () => {
    const { socket } = setup('ben', circleWith(people, { piece: { mode: 'round', holderId: 'ben', since: Date.now(), queue: [] } }));
    const pass = screen.getByRole('button', { name: 'Pass the piece' });
    fireEvent.click(pass);
    expect(socket.commands.map((c) => c.cmd)).toEqual([{ type: 'piece.pass', from: 'ben' }]);
    expect(pass.getAttribute('aria-disabled')).toBe('true');
    fireEvent.click(pass);
    expect(socket.commands).toHaveLength(1);
    await act(async () => socket.commands[0]?.ack({ ok: false, error: { code: 'conflict', message: 'Someone else moved the piece.' } }));
    expect(pass.hasAttribute('aria-disabled')).toBe(false);
    fireEvent.click(pass);
    expect(socket.commands).toHaveLength(2);
  });

  it('sends `from` with a facilitator’s "Give the piece to …"', () => {
    const { socket } = setup('ann', circleWith(people, { piece: { mode: 'round', holderId: 'ben', since: Date.now(), queue: [] } }));
    fireEvent.click(screen.getByRole('button', { name: /^Cara/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Give the piece to Cara' }));
    expect(socket.commands.map((c) => c.cmd)).toEqual([{ type: 'piece.pass', to: 'cara', from: 'ben' }]);
  });
});

describe('Silence on the circle screen', () => {
  it('makes the rest of the screen inert and keeps "End silence" reachable for a facilitator', () => {
    const { socket } = setup('ann', circleWith(people, { silence: { since: Date.now(), endsAt: null } }));
    const end = screen.getByRole('button', { name: 'End silence' });
    expect(end.closest('[inert]')).toBeNull();
    expect(document.querySelector('main#room')?.hasAttribute('inert')).toBe(true);
    expect(document.querySelector('header.room-bar')?.hasAttribute('inert')).toBe(true);
    fireEvent.click(end);
    expect(socket.commands.map((c) => c.cmd)).toEqual([{ type: 'silence.end' }]);
  });

  it('lifts the overlay when the silence ends', () => {
    const hush = circleWith(people, { silence: { since: Date.now(), endsAt: null } });
    const { socket } = setup('ben', hush);
    expect(screen.getByTestId('silence-overlay')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'End silence' })).toBeNull();
    act(() => socket.fire('circle:state', { ...hush, version: hush.version + 1, silence: null }));
    expect(screen.queryByTestId('silence-overlay')).toBeNull();
    expect(document.querySelector('main#room')?.hasAttribute('inert')).toBe(false);
  });
});
