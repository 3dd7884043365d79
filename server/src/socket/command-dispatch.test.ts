import type { CommandAck } from '@spiral/shared';
import { describe, expect, it } from 'vitest';
import type { MediaConnection } from '../media/media-provider.js';
import { changeBudgets } from '../change-budgets.js';
import { commandRoute } from './command-dispatch.js';
import { route } from './event-route.js';

const who = { circleId: 'c1', participantId: 'a', sessionToken: 't' };
const conn: MediaConnection = { id: 's-a', open: true, join: async () => {}, leave: async () => {}, announce: () => {} };

function setup(gestureAllowed = true, budgets = changeBudgets()) {
  const calls: string[] = [];
  const gestureKeys: string[] = [];
  const ok = (version: number): CommandAck => ({ ok: true, version });
  const dispatch = route('s-a', commandRoute(who, conn, {
    circles: {
      command: async (circleId, participantId, command, onChanged) => (calls.push(`circle ${circleId} ${participantId} ${command.type}`), onChanged?.(), ok(1)),
      isFacilitator: async () => false,
    },
    media: { command: async (circleId, participantId, command, connection) => (calls.push(`media ${circleId} ${participantId} ${command.type} ${connection.id}`), ok(2)) },
    limit: { allow: async () => true },
    gestureLimit: { allow: async (key) => (gestureKeys.push(key), gestureAllowed) },
    budgets,
    address: '203.0.113.7',
  }));
  return { dispatch, calls, gestureKeys };
}

describe('command dispatch', () => {
  it('sends media commands to the media seam with this connection, and every other command to the circle', async () => {
    const { dispatch, calls } = setup();
    expect(await dispatch({ type: 'media.join' })).toEqual({ ok: true, version: 2 });
    expect(await dispatch({ type: 'media.leave' })).toEqual({ ok: true, version: 2 });
    expect(await dispatch({ type: 'hand.raise' })).toEqual({ ok: true, version: 1 });
    expect(calls).toEqual(['media c1 a media.join s-a', 'media c1 a media.leave s-a', 'circle c1 a hand.raise']);
  });

  it('refuses a payload the schema does not accept with invalid and a readable reason, reaching nobody', async () => {
    const { dispatch, calls } = setup();
    expect(await dispatch({ type: 'piece.fly' })).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringMatching(/Unknown command type/) } });
    expect(calls).toEqual([]);
  });

  it('limits gestures per member (circle and participant), before the circle sees them', async () => {
    const allowed = setup(true);
    expect(await allowed.dispatch({ type: 'gesture.send', kind: 'heart' })).toEqual({ ok: true, version: 1 });
    expect(allowed.gestureKeys).toEqual(['c1:a']);
    const limited = setup(false);
    expect(await limited.dispatch({ type: 'gesture.send', kind: 'thanks' })).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect(limited.calls).toEqual([]);
    // Other commands never touch the gesture limit.
    await limited.dispatch({ type: 'hand.raise' });
    expect(limited.gestureKeys).toEqual(['c1:a']);
  });

  it('refuses a command while its address budget is spent by changes, before the circle sees it; media and gestures are not held back', async () => {
    const tiny = { perSecond: 1, burst: 1, burstSeconds: 10 };
    const { dispatch, calls } = setup(true, changeBudgets(tiny, { perSecond: 100, burst: 100, burstSeconds: 10 }));
    expect(await dispatch({ type: 'hand.raise' })).toEqual({ ok: true, version: 1 });
    expect(await dispatch({ type: 'hand.raise' })).toEqual({ ok: true, version: 1 });
    expect(await dispatch({ type: 'hand.lower' })).toMatchObject({ ok: false, error: { code: 'rate_limited', message: expect.stringMatching(/your network/) } });
    expect(await dispatch({ type: 'media.join' })).toEqual({ ok: true, version: 2 });
    expect(await dispatch({ type: 'gesture.send', kind: 'heart' })).toEqual({ ok: true, version: 1 });
    expect(calls).toEqual(['circle c1 a hand.raise', 'circle c1 a hand.raise', 'media c1 a media.join s-a', 'circle c1 a gesture.send']);
  });
});
