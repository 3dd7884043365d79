import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import CircleScreen from '../circle/CircleScreen';
import type { Cues } from '../circle/sound';
import { circleWith, fakeFactory, member } from '../test/fakeSocket';
import { updateCircleMemory } from '../lib/storage';
import { withBreakouts } from './testCircles';

const people = [member('ann', 1, { role: 'facilitator' }), member('ben', 2), member('cara', 3), member('dev', 4)];
const main = circleWith(people);
const grouped = withBreakouts(main, [{ memberIds: ['ben', 'cara'] }, { memberIds: ['dev'] }]);

function setup(me: string, state = main) {
  updateCircleMemory('c1', { name: me, facilitatorKey: me === 'ann' ? 'key-1' : undefined });
  const { factory, sockets } = fakeFactory();
  const cues: Cues = { chime: vi.fn(), softCue: vi.fn(), pieceArrived: vi.fn(), unlock: vi.fn(), bell: vi.fn() };
  render(<CircleScreen circleId="c1" socketFactory={factory} cues={cues} onNeedName={vi.fn()} onForgetKey={vi.fn()} />);
  const socket = sockets[0]!;
  act(() => socket.accept(me, state));
  return { socket, cues };
}

describe('CircleScreen while groups meet', () => {
  it('a member moved into a pair sees the pair instead of the ring, and hears where they are', () => {
    const { socket } = setup('ben');
    expect(screen.getByRole('heading', { name: 'The circle, in seat order' })).toBeTruthy();
    act(() => socket.fire('circle:state', grouped));
    expect(screen.queryByRole('heading', { name: 'The circle, in seat order' })).toBeNull();
    expect(screen.getByRole('heading', { name: 'Pair 1 · with Cara' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Raise hand' })).toBeNull();
    // Said together with what the first snapshot announced a moment before.
    expect(screen.getByTestId('announcer').textContent).toMatch(/You are in a pair with Cara\. You speak first\.$/);
    fireEvent.click(screen.getByRole('button', { name: 'Pass the turn' }));
    expect(socket.commands.at(-1)!.cmd).toEqual({ type: 'breakout.pass' });
  });

  it('rings the turn bell for a swap in my group (and not the piece cue)', () => {
    const { socket, cues } = setup('cara', grouped);
    act(() => socket.fire('circle:state', { ...withBreakouts(main, [{ memberIds: ['ben', 'cara'], speakerId: 'cara' }, { memberIds: ['dev'] }]), version: grouped.version + 1 }));
    expect(cues.bell).toHaveBeenCalledWith(1, 0);
    expect(cues.pieceArrived).not.toHaveBeenCalled();
    expect(screen.getByTestId('announcer').textContent).toMatch(/Your turn to speak\.$/);
  });

  it('the facilitator sees the overview, opens groups from the panel, and visits', () => {
    const { socket } = setup('ann');
    fireEvent.click(screen.getByRole('button', { name: 'Triads' }));
    fireEvent.click(screen.getByRole('button', { name: 'Open groups' }));
    expect(socket.commands.at(-1)!.cmd).toEqual({ type: 'breakout.open', size: 3, mode: 'turns' });
    act(() => socket.fire('circle:state', grouped));
    expect(screen.queryByRole('button', { name: 'Open groups' })).toBeNull();
    expect(screen.getByRole('heading', { name: /^2 groups/ })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Visit Pair 1: Ben and Cara' }));
    expect(socket.commands.at(-1)!.cmd).toEqual({ type: 'breakout.visit', groupId: 'b1g1' });
    act(() => socket.fire('circle:state', { ...withBreakouts(main, [{ memberIds: ['ben', 'cara'] }, { memberIds: ['dev'] }], { visits: { ann: 'b1g1' } }), version: grouped.version + 1 }));
    // Visiting: the pair's room, and the overview below it.
    expect(screen.getByRole('heading', { name: 'Pair 1 · Ben and Cara' })).toBeTruthy();
    expect(screen.getByText('You are here')).toBeTruthy();
    expect(screen.getByTestId('announcer').textContent).toBe('You are visiting Pair 1: Ben and Cara.');
  });

  it('someone left in the main circle sees only the people there', () => {
    const late = withBreakouts(circleWith([...people, member('eve', 5)]), [{ memberIds: ['ben', 'cara'] }, { memberIds: ['dev'] }]);
    setup('eve', late);
    expect(screen.getByText('The others are meeting in groups. You are in the main circle.')).toBeTruthy();
    const seats = [...document.querySelectorAll('[data-participant-id]')].map((el) => el.getAttribute('data-participant-id'));
    expect(seats).toEqual(['ann', 'eve']);
  });
});
