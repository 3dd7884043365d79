import { StrictMode } from 'react';
import { act, fireEvent, render, renderHook, screen } from '@testing-library/react';
import type { CircleState, CommandAck } from '@spiral/shared';
import { makeCircle } from '@spiral/shared/testing';
import { describe, expect, it, vi } from 'vitest';
import { MediaController } from './media-controller';
import { loadMediaOn, saveMediaOn } from './media-preferences';
import { MediaBar } from './MediaBar';
import { MicButton, WAIT_FOR_PIECE } from './MicButton';
import { P2P_ACK, RecordingSession, recordingChannel } from './test-doubles';
import { useMedia } from './useMedia';
import { initials } from './VideoTile';

function circle(holderId: string | null, mode: CircleState['piece']['mode'] = 'round', facilitatorsMaySpeak = true): CircleState {
  return makeCircle({
    id: 'c1',
    title: 'T',
    template: 'wtr-spiral',
    createdAt: 0,
    members: [
      { id: 'f', name: 'Fran', role: 'facilitator' },
      { id: 'a', name: 'Ada' },
      { id: 'b', name: 'Bea' },
    ],
    mode,
    holderId,
    settings: { facilitatorsMaySpeak },
  });
}

/** What the media layer tells a fresh session for this member in this circle: the two guards, from the shared rules. */
async function guardsFor(state: CircleState, selfId: string): Promise<{ audible: string[]; allowed: boolean }> {
  const session = new RecordingSession();
  const controller = new MediaController('c1');
  controller.connect({ selfId, channel: recordingChannel(P2P_ACK), createSession: async () => session });
  controller.follow(state);
  await controller.start();
  controller.close();
  return { audible: session.audible.at(-1)!, allowed: session.allowed.at(-1)! };
}

describe('the speaking rules as the media layer applies them', () => {
  it('plays only the holder (and facilitators who may speak), never oneself', async () => {
    expect((await guardsFor(circle('a'), 'b')).audible).toEqual(['a', 'f']);
    expect((await guardsFor(circle('a', 'round', false), 'b')).audible).toEqual(['a']);
    expect((await guardsFor(circle('a'), 'a')).audible).toEqual(['f']);
    expect((await guardsFor(circle(null, 'open'), 'a')).audible).toEqual(['b', 'f']);
    expect((await guardsFor(circle(null, 'round', false), 'a')).audible).toEqual([]);
  });

  it('lets a member publish a microphone only while they may speak', async () => {
    expect((await guardsFor(circle('a'), 'a')).allowed).toBe(true);
    expect((await guardsFor(circle('a'), 'b')).allowed).toBe(false);
    expect((await guardsFor(circle(null, 'open'), 'b')).allowed).toBe(true);
    expect((await guardsFor(circle(null), 'f')).allowed).toBe(true);
    expect((await guardsFor(circle(null, 'round', false), 'f')).allowed).toBe(false);
    expect((await guardsFor(circle('a'), 'ghost')).allowed).toBe(false);
  });
});

describe('MicButton', () => {
  it('gives another reason when asked (in a group: wait for your turn)', () => {
    render(<MicButton available allowed={false} on={false} prompt={false} onChange={() => {}} waitReason="Listen: wait for your turn" />);
    const button = screen.getByRole('button', { name: 'Microphone off' });
    expect(document.getElementById(button.getAttribute('aria-describedby')!)?.textContent).toBe('Listen: wait for your turn');
  });

  it('is disabled with the reason while you may not speak', () => {
    const onChange = vi.fn();
    render(<MicButton available allowed={false} on={false} prompt={false} onChange={onChange} />);
    const button = screen.getByRole('button', { name: 'Microphone off' });
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(button).toHaveProperty('disabled', false); // still reachable by keyboard
    expect(button.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(button.getAttribute('aria-describedby')!)?.textContent).toBe(WAIT_FOR_PIECE);
    fireEvent.click(button);
    expect(onChange).not.toHaveBeenCalled();
  });

  it('offers Unmute with a prompt when the piece arrives, and Mute once on', () => {
    const onChange = vi.fn();
    const { rerender } = render(<MicButton available allowed on={false} prompt onChange={onChange} />);
    expect(screen.getByText(/You may speak/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Unmute' }));
    expect(onChange).toHaveBeenCalledWith(true);
    rerender(<MicButton available allowed on prompt={false} onChange={onChange} />);
    const mute = screen.getByRole('button', { name: 'Mute' });
    // Named by what it does, so no aria-pressed that would read "Mute, pressed" for a live microphone.
    expect(mute.hasAttribute('aria-pressed')).toBe(false);
    fireEvent.click(mute);
    expect(onChange).toHaveBeenLastCalledWith(false);
  });

  it('renders nothing without media', () => {
    const { container } = render(<MicButton available={false} allowed on={false} prompt={false} onChange={() => {}} />);
    expect(container.innerHTML).toBe('');
  });
});

it('initials come from the first and last word', () => {
  expect(initials('Joanna Macy')).toBe('JM');
  expect(initials('river')).toBe('RI');
  expect(initials('  ')).toBe('?');
});

describe('useMedia', () => {
  it('applies both guards on start and after every change of the piece', async () => {
    const session = new RecordingSession();
    const ch = recordingChannel(P2P_ACK);
    const granted = vi.fn();
    const { result, rerender } = renderHook((props: { state: CircleState }) =>
      useMedia({ circleId: 'c1', selfId: 'b', state: props.state, channel: ch, connectionEpoch: 1, onSpeakingRightGranted: granted, createSession: async () => session }),
      { initialProps: { state: circle('a') } },
    );
    await act(async () => result.current.start());
    expect(result.current.phase).toEqual({ kind: 'on' });
    expect(loadMediaOn('c1')).toBe(true);
    expect(session.allowed.at(-1)).toBe(false);
    expect(session.audible.at(-1)).toEqual(['a', 'f']);

    rerender({ state: circle('b') });
    expect(session.allowed.at(-1)).toBe(true);
    expect(session.audible.at(-1)).toEqual(['f']);
    expect(granted).toHaveBeenCalledTimes(1);
    expect(result.current.unmutePrompt).toBe(true);
    expect(session.micCalls).toEqual([]); // never unmuted for you

    act(() => result.current.setMicOn(true));
    expect(session.micCalls).toEqual([true]);
    expect(result.current.unmutePrompt).toBe(false);

    rerender({ state: circle('a') });
    expect(session.allowed.at(-1)).toBe(false);
    expect(session.snapshot().micOn).toBe(false);
    expect(session.audible.at(-1)).toEqual(['a', 'f']);
  });

  it('with auto-unmute opted in, unmutes by itself when the piece arrives', async () => {
    const session = new RecordingSession();
    const ch = recordingChannel(P2P_ACK);
    const { result, rerender } = renderHook((props: { state: CircleState }) =>
      useMedia({ circleId: 'c1', selfId: 'b', state: props.state, channel: ch, connectionEpoch: 1, createSession: async () => session }),
      { initialProps: { state: circle('a') } },
    );
    act(() => result.current.setAutoUnmute(true));
    await act(async () => result.current.start());
    rerender({ state: circle('b') });
    await act(async () => {});
    expect(session.micCalls).toEqual([true]);
    expect(session.snapshot().micOn).toBe(true);
  });

  it('shows the server reason when media is unavailable, and the circle is unaffected', async () => {
    const ack: CommandAck = { ok: false, error: { code: 'media_unavailable', message: 'Peer-to-peer video holds at most 6 people.' } };
    const create = vi.fn();
    const ch = recordingChannel(ack);
    const { result } = renderHook(() => useMedia({ circleId: 'c1', selfId: 'b', state: circle('a'), channel: ch, connectionEpoch: 1, createSession: create }));
    await act(async () => result.current.start());
    expect(result.current.phase).toEqual({ kind: 'unavailable', message: 'Peer-to-peer video holds at most 6 people.' });
    expect(create).not.toHaveBeenCalled();
  });

  it('a failure to start (e.g. camera refused) leaves the media session and says why', async () => {
    const ch = recordingChannel(P2P_ACK);
    const { result } = renderHook(() =>
      useMedia({ circleId: 'c1', selfId: 'b', state: circle('a'), channel: ch, connectionEpoch: 1, createSession: async () => {
        throw new DOMException('denied', 'NotAllowedError');
      } }),
    );
    await act(async () => result.current.start());
    expect(result.current.phase.kind).toBe('error');
    expect(ch.leaves).toBe(1);
  });

  it('rejoins media after a reconnection when it was on', async () => {
    const sessions: RecordingSession[] = [];
    const ch = recordingChannel(P2P_ACK);
    const { result, rerender } = renderHook((props: { epoch: number }) =>
      useMedia({ circleId: 'c1', selfId: 'b', state: circle('a'), channel: ch, connectionEpoch: props.epoch, createSession: async () => {
        const s = new RecordingSession();
        sessions.push(s);
        return s;
      } }),
      { initialProps: { epoch: 1 } },
    );
    await act(async () => result.current.start());
    rerender({ epoch: 2 });
    await act(async () => {});
    expect(ch.joins).toBe(2);
    expect(sessions).toHaveLength(2);
    expect(sessions[0]!.closed).toBe(true);
    act(() => result.current.stop());
    expect(loadMediaOn('c1')).toBe(false);
    expect(sessions[1]!.closed).toBe(true);
  });

  it("closes media when the screen goes away, and survives strict mode's extra mount", async () => {
    saveMediaOn('c1', true);
    const sessions: RecordingSession[] = [];
    const ch = recordingChannel(P2P_ACK);
    const { result, unmount } = renderHook(
      () =>
        useMedia({ circleId: 'c1', selfId: 'b', state: circle('a'), channel: ch, connectionEpoch: 1, createSession: async () => {
          const s = new RecordingSession();
          sessions.push(s);
          return s;
        } }),
      { wrapper: StrictMode },
    );
    await act(async () => {});
    expect(result.current.phase).toEqual({ kind: 'on' });
    const live = sessions.filter((s) => !s.closed);
    expect(live).toHaveLength(1);
    unmount();
    expect(live[0]!.closed).toBe(true);
  });
});

describe('MediaBar', () => {
  function Bar({ session }: { session: RecordingSession }) {
    const media = useMedia({ circleId: 'c1', selfId: 'b', state: circle('a'), channel: recordingChannel(P2P_ACK), connectionEpoch: 1, createSession: async () => session });
    return (
      <>
        <button type="button" onClick={media.start}>
          start
        </button>
        <MediaBar media={media} />
      </>
    );
  }

  it('offers the camera and the microphone to a sender, and neither to a receive-only member, whom the note tells why', async () => {
    const session = new RecordingSession();
    render(<Bar session={session} />);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'start' })));
    expect(screen.getByRole('button', { name: 'Camera' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('button', { name: /microphone off|unmute/i })).toBeTruthy();
    act(() => session.store.update({ receiveOnly: true, cameraOn: false, message: 'You can see and hear everyone; your camera stays off.' }));
    expect(screen.queryByRole('button', { name: 'Camera' })).toBeNull();
    expect(screen.queryByRole('button', { name: /microphone|unmute|mute/i })).toBeNull();
    expect(screen.getByRole('status').textContent).toContain('your camera stays off');
  });
});
