import { renderHook } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { makeCircle } from '@spiral/shared/testing';
import type { CircleState } from '@spiral/shared';
import type { Cues } from '../circle/sound';
import { useSwapCue } from './useSwapCue';
import { withBreakouts } from './testCircles';

const main = makeCircle({ id: 'c1', members: [{ id: 'ana' }, { id: 'ben' }] });
const speaking = (speakerId: string) => withBreakouts(main, [{ memberIds: ['ana', 'ben'], speakerId }]);

function setup(soundOn = true) {
  const cues: Cues = { chime: vi.fn(), softCue: vi.fn(), pieceArrived: vi.fn(), unlock: vi.fn(), bell: vi.fn() };
  const hook = renderHook(({ state, sound }: { state: CircleState; sound: boolean }) => useSwapCue(state, 'ana', cues, sound), { initialProps: { state: main, sound: soundOn } });
  return { cues, hook };
}

describe('useSwapCue', () => {
  it('strikes the bell once when the turn changes hands in my group, not on arriving', () => {
    const { cues, hook } = setup();
    hook.rerender({ state: speaking('ana'), sound: true });
    expect(cues.bell).not.toHaveBeenCalled();
    hook.rerender({ state: speaking('ben'), sound: true });
    expect(cues.bell).toHaveBeenCalledWith(1, 0);
    hook.rerender({ state: { ...speaking('ben'), version: 9 }, sound: true });
    expect(cues.bell).toHaveBeenCalledTimes(1);
  });

  it('stays quiet with sounds off', () => {
    const { cues, hook } = setup(false);
    hook.rerender({ state: speaking('ana'), sound: false });
    hook.rerender({ state: speaking('ben'), sound: false });
    expect(cues.bell).not.toHaveBeenCalled();
  });
});
