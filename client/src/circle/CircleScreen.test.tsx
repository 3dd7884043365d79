import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen } from '@testing-library/react';
import CircleScreen from './CircleScreen';
import type { Cues } from './sound';
import { circleWith, fakeFactory, member } from '../test/fakeSocket';
import { loadCircleMemory, updateCircleMemory } from '../lib/storage';

const people = [member('ann', 1, { role: 'facilitator' }), member('ben', 2), member('cara', 3)];
const silent: Cues = { chime: () => {}, softCue: () => {}, pieceArrived: () => {}, unlock: () => {} };

function setup(me: string, state = circleWith(people)) {
  updateCircleMemory('c1', { name: me, facilitatorKey: me === 'ann' ? 'key-1' : undefined });
  const { factory, sockets } = fakeFactory();
  const onNeedName = vi.fn();
  const onForgetKey = vi.fn();
  render(<CircleScreen circleId="c1" socketFactory={factory} cues={silent} onNeedName={onNeedName} onForgetKey={onForgetKey} />);
  const socket = sockets[0];
  if (!socket) throw new Error('no socket created');
  act(() => socket.accept(me, state));
  return { socket, onNeedName, onForgetKey };
}

describe('CircleScreen with a fake socket', () => {
  it('joins with the remembered name and key, and remembers the session token for a reload', () => {
    const { socket } = setup('ann');
    expect(socket.lastAuth).toEqual({ circleId: 'c1', name: 'ann', facilitatorKey: 'key-1' });
    expect(loadCircleMemory('c1').sessionToken).toBe('token-ann');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Tuesday circle');
  });

  it('gives a facilitator the panel, and sends its commands', () => {
    const { socket } = setup('ann');
    fireEvent.click(screen.getByRole('button', { name: 'Advance stage' }));
    fireEvent.click(screen.getByRole('button', { name: 'Take the piece' }));
    fireEvent.click(screen.getByRole('radio', { name: /Popcorn/ }));
    fireEvent.click(screen.getByRole('button', { name: '5 min' }));
    fireEvent.click(screen.getByRole('button', { name: 'Start timer' }));
    expect(socket.commands.map((c) => c.cmd)).toEqual([
      { type: 'stage.advance' },
      { type: 'piece.take' },
      { type: 'piece.mode', mode: 'popcorn' },
      { type: 'timer.start', durationMs: 300_000 },
    ]);
  });

  it('lets a facilitator give the piece to someone from their seat', () => {
    const { socket } = setup('ann');
    fireEvent.click(screen.getByRole('button', { name: /^Cara/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Give the piece to Cara' }));
    fireEvent.click(screen.getByRole('button', { name: 'Remove Cara…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, remove Cara' }));
    expect(socket.commands.map((c) => c.cmd)).toEqual([
      { type: 'piece.pass', to: 'cara', from: null },
      { type: 'participant.remove', participantId: 'cara' },
    ]);
  });

  it('leaves facilitator controls out entirely for a participant', () => {
    setup('ben');
    expect(screen.queryByRole('heading', { name: 'Facilitator' })).toBeNull();
    for (const name of ['Advance stage', 'Take the piece', 'Start timer', 'Lock the circle', 'Pass the piece', 'Release the piece']) {
      expect(screen.queryByRole('button', { name })).toBeNull();
    }
    expect(screen.queryByRole('radio')).toBeNull();
    // Seats are not buttons for participants either.
    expect(screen.queryByRole('button', { name: /^Cara/ })).toBeNull();
    expect(screen.getByRole('button', { name: 'Raise hand' })).toBeTruthy();
  });

  it('gives the holder pass and release, and tells them they hold the piece', () => {
    const { socket } = setup('ben', circleWith(people, { piece: { mode: 'round', holderId: 'ben', since: Date.now(), queue: [] } }));
    expect(screen.getByText(/You hold the talking piece\./, { selector: '[aria-live]' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Pass the piece' }));
    fireEvent.click(screen.getByRole('button', { name: 'Release the piece' }));
    expect(socket.commands.map((c) => c.cmd.type)).toEqual(['piece.pass', 'piece.release']);
    expect(screen.getByText('Next: Cara.')).toBeTruthy();
  });

  it('names the next speaker as the server will choose them: popcorn skips a raised hand that is away', () => {
    const away = [people[0]!, people[1]!, member('cara', 3, { connected: false, awaySince: 1 }), member('dev', 4)];
    setup('ben', circleWith(away, { piece: { mode: 'popcorn', holderId: 'ben', since: 1, queue: ['cara', 'dev'] } }));
    expect(screen.getByText('Next: Dev.')).toBeTruthy();
  });

  it('shows the server’s words when a participant’s command is refused, never a guess about roles', async () => {
    const { socket } = setup('ben');
    fireEvent.click(screen.getByRole('button', { name: 'Raise hand' }));
    await act(async () => {
      socket.commands[0]?.ack({ ok: false, error: { code: 'forbidden', message: 'Only the person holding the piece, or a facilitator, can pass it.' } });
      await Promise.resolve();
    });
    expect(screen.getByText('Only the person holding the piece, or a facilitator, can pass it.')).toBeTruthy();
    expect(screen.queryByText(/Only a facilitator/)).toBeNull();
  });

  it('switches Raise hand to Lower hand when the snapshot says the hand is up', () => {
    const { socket } = setup('ben');
    fireEvent.click(screen.getByRole('button', { name: 'Raise hand' }));
    expect(socket.commands[0]?.cmd).toEqual({ type: 'hand.raise' });
    act(() => socket.fire('circle:state', circleWith(people, { version: 2, piece: { mode: 'round', holderId: null, since: null, queue: ['ben'] } })));
    fireEvent.click(screen.getByRole('button', { name: 'Lower hand' }));
    expect(socket.commands[1]?.cmd).toEqual({ type: 'hand.lower' });
  });

  it('says two changes that come together as one announcement, neither replacing the other', () => {
    const { socket } = setup('ann');
    const cora = member('cora', 4);
    const dana = member('dana', 5);
    act(() => {
      socket.fire('circle:state', circleWith([...people, cora], { version: 2 }));
    });
    act(() => {
      socket.fire('circle:state', circleWith([...people, cora, dana], { version: 3 }));
    });
    const said = screen.getByTestId('announcer').textContent ?? '';
    expect(said).toContain(`${cora.name} joined the circle.`);
    expect(said).toContain(`${dana.name} joined the circle.`);
  });

  it('announces stage changes and shows a polite toast when a command is turned down', async () => {
    const { socket } = setup('ann');
    act(() => socket.fire('circle:state', circleWith(people, { version: 2, stage: { key: 'honoring-pain', cycle: 1, since: 5 } })));
    expect(screen.getByTestId('announcer').textContent).toContain('Stage: Honoring our Pain for the World.');
    fireEvent.click(screen.getByRole('button', { name: 'Advance stage' }));
    await act(async () => {
      socket.commands[0]?.ack({ ok: false, error: { code: 'conflict', message: 'You do not hold the piece.' } });
      await Promise.resolve();
    });
    // The server's own words, from the refusal catalogue: never a guess made here.
    expect(screen.getByText('You do not hold the piece.')).toBeTruthy();
  });

  it('turns sounds off with a clear “Sounds” switch, and remembers it', () => {
    setup('ben');
    const toggle = screen.getByRole('switch', { name: 'Sounds' });
    expect(toggle.getAttribute('aria-checked')).toBe('true');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-checked')).toBe('false');
    expect(window.localStorage.getItem('spiral:sound')).toBe('off');
  });

  it('remembers the gallery view for this person', () => {
    setup('ben');
    const toggle = screen.getByRole('button', { name: 'Gallery view' });
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    expect(document.querySelector('.ring--gallery')).not.toBeNull();
    expect(JSON.parse(window.localStorage.getItem('spiral:room') ?? '{}')).toMatchObject({ view: 'gallery' });
  });

  it('puts focus on the room when the circle first shows', () => {
    setup('ben');
    expect(document.activeElement?.id).toBe('room');
  });

  it('answers single-key shortcuts (not while typing), lists them under “?”, and lets them be turned off', () => {
    const { socket } = setup('ann', circleWith(people, { piece: { mode: 'round', holderId: 'ann', since: 1, queue: [] } }));
    fireEvent.keyDown(window, { key: 'h' });
    fireEvent.keyDown(window, { key: 'p' });
    fireEvent.keyDown(window, { key: 'b' });
    // Typing in a field is typing: no command.
    const field = screen.getByLabelText('Timer label (optional)');
    fireEvent.keyDown(field, { key: 'h' });
    // With a modifier it is the browser's.
    fireEvent.keyDown(window, { key: 'h', ctrlKey: true });
    expect(socket.commands.map((c) => c.cmd)).toEqual([{ type: 'hand.raise' }, { type: 'piece.pass', from: 'ann' }, { type: 'bell.ring', strikes: 1 }]);

    fireEvent.keyDown(window, { key: '?' });
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(dialog.textContent).toContain('Raise or lower your hand');
    const keys = screen.getByRole('switch', { name: 'Single-key shortcuts' });
    expect(keys.getAttribute('aria-checked')).toBe('true');
    fireEvent.click(keys);
    expect(JSON.parse(window.localStorage.getItem('spiral:room') ?? '{}')).toMatchObject({ shortcuts: false });
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.keyDown(window, { key: 'h' });
    expect(socket.commands).toHaveLength(3);
  });

  it('ignores a snapshot older than the one it has', () => {
    const { socket } = setup('ann', circleWith(people, { version: 5, stage: { key: 'new-eyes', cycle: 1, since: 1 } }));
    act(() => socket.fire('circle:state', circleWith(people, { version: 4, stage: { key: 'gratitude', cycle: 1, since: 1 } })));
    expect(screen.getByRole('heading', { level: 2, name: 'Seeing with New and Ancient Eyes' })).toBeTruthy();
  });

  it('shows "reconnecting…" while the connection is down, and resumes with the token', () => {
    const { socket } = setup('ben');
    act(() => socket.fire('disconnect', 'transport close'));
    expect(screen.getByText(/Reconnecting…/)).toBeTruthy();
    act(() => socket.connect());
    expect(socket.lastAuth?.sessionToken).toBe('token-ben');
    act(() => socket.accept('ben', circleWith(people, { version: 3 })));
    expect(screen.queryByText(/Reconnecting…/)).toBeNull();
  });

  it('comes back by itself, backing off, after a server-side disconnect that is not a removal', () => {
    vi.useFakeTimers();
    try {
      const { socket } = setup('ben');
      act(() => socket.fire('disconnect', 'io server disconnect'));
      expect(screen.getByText(/Reconnecting…/)).toBeTruthy();
      expect(socket.connectCalls).toBe(1);
      act(() => vi.advanceTimersByTime(1_000));
      expect(socket.connectCalls).toBe(2);
      act(() => socket.fire('disconnect', 'io server disconnect'));
      act(() => vi.advanceTimersByTime(1_999));
      expect(socket.connectCalls).toBe(2);
      act(() => vi.advanceTimersByTime(1));
      expect(socket.connectCalls).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('explains a removal and does not reconnect', () => {
    vi.useFakeTimers();
    try {
      const { socket } = setup('ben');
      act(() => socket.fire('circle:removed', { reason: 'removed' }));
      expect(screen.getByRole('heading', { name: 'You have left this circle' })).toBeTruthy();
      expect(socket.active).toBe(false);
      expect(socket.disconnectCalls).toBe(1);
      act(() => socket.fire('disconnect', 'io server disconnect'));
      act(() => vi.advanceTimersByTime(60_000));
      expect(socket.connectCalls).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('says the circle has been closed when the facilitator deletes it', () => {
    const { socket } = setup('ben');
    act(() => socket.fire('circle:removed', { reason: 'closed' }));
    expect(screen.getByRole('heading', { name: 'This circle has been closed' })).toBeTruthy();
    expect(socket.active).toBe(false);
  });

  it('steps aside when replaced by another tab, and comes back only when asked', () => {
    const { socket } = setup('ben');
    act(() => socket.fire('circle:removed', { reason: 'replaced' }));
    expect(screen.getByRole('heading', { name: 'This circle is open somewhere else' })).toBeTruthy();
    expect(socket.connectCalls).toBe(1);
    fireEvent.click(screen.getByRole('button', { name: 'Use it here instead' }));
    expect(socket.connectCalls).toBe(2);
  });
});

describe('CircleScreen refusals', () => {
  function refused(code: string) {
    updateCircleMemory('c1', { name: 'Dee', facilitatorKey: 'stale' });
    const { factory, sockets } = fakeFactory();
    const onNeedName = vi.fn();
    const onForgetKey = vi.fn();
    render(<CircleScreen circleId="c1" socketFactory={factory} cues={silent} onNeedName={onNeedName} onForgetKey={onForgetKey} />);
    act(() => sockets[0]?.refuse(code));
    return { onNeedName, onForgetKey, socket: sockets[0] };
  }

  it.each([
    ['not_found', 'No such circle'],
    ['locked', 'This circle is locked'],
    ['full', 'This circle is full'],
    ['bad_key', 'This facilitator link is no longer valid'],
    ['removed', 'You have left this circle'],
    ['rate_limited', 'Too many joins at once'],
    ['forbidden', 'This page cannot join the circle'],
    ['not_open', 'This circle has not opened yet'],
  ])('shows a clear page for %s', (code, title) => {
    refused(code);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(title);
  });

  it('offers to carry on as a participant after a bad facilitator key', () => {
    const { onForgetKey, socket } = refused('bad_key');
    fireEvent.click(screen.getByRole('button', { name: 'Join as a participant instead' }));
    expect(onForgetKey).toHaveBeenCalledOnce();
    expect(socket?.connectCalls).toBe(2);
  });

  it('asks for another name when the name is refused', () => {
    const { onNeedName } = refused('invalid');
    expect(onNeedName).toHaveBeenCalledWith(expect.stringContaining('name'));
  });

  it('treats a network failure as reconnecting, not a refusal', () => {
    updateCircleMemory('c1', { name: 'Dee' });
    const { factory, sockets } = fakeFactory();
    render(<CircleScreen circleId="c1" socketFactory={factory} cues={silent} onNeedName={() => {}} onForgetKey={() => {}} />);
    act(() => sockets[0]?.fire('connect_error', new Error('websocket error')));
    expect(screen.getByRole('status').textContent).toMatch(/Entering the circle|Reconnecting/);
    expect(screen.queryByRole('heading', { level: 1 })).toBeNull();
  });
});
