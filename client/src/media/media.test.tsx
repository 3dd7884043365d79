import { act, fireEvent, render, renderHook, screen } from '@testing-library/react';
import { createCircleState, type CircleState, type CommandAck, type Participant } from '@spiral/shared';
import { describe, expect, it, vi } from 'vitest';
import { loadMediaOn } from './media-preferences';
import { audibleMembers, micAllowedFor, SnapshotStore, type MediaSession, type MediaSnapshot } from './media-session';
import { MicButton, WAIT_FOR_PIECE } from './MicButton';
import { useMedia, type MediaChannel } from './useMedia';
import { initials } from './VideoTile';

const people: Participant[] = [
  { id: 'f', name: 'Fran', role: 'facilitator', connected: true, seat: 1, awaySince: null },
  { id: 'a', name: 'Ada', role: 'participant', connected: true, seat: 2, awaySince: null },
  { id: 'b', name: 'Bea', role: 'participant', connected: true, seat: 3, awaySince: null },
];

function circle(holderId: string | null, mode: CircleState['piece']['mode'] = 'round', facilitatorsMaySpeak = true): CircleState {
  const base = createCircleState({ id: 'c1', title: 'T', template: 'wtr-spiral', now: 0 });
  return {
    ...base,
    participants: people,
    piece: { mode, holderId, since: holderId ? 1 : null, queue: [] },
    settings: { ...base.settings, facilitatorsMaySpeak },
  };
}

describe('the speaking rules on the receiving side', () => {
  it('plays only the holder (and facilitators who may speak), never oneself', () => {
    expect([...audibleMembers(circle('a'), 'b')].sort()).toEqual(['a', 'f']);
    expect([...audibleMembers(circle('a', 'round', false), 'b')]).toEqual(['a']);
    expect([...audibleMembers(circle('a'), 'a')]).toEqual(['f']);
    expect([...audibleMembers(circle(null, 'open'), 'a')].sort()).toEqual(['b', 'f']);
    expect([...audibleMembers(circle(null, 'round', false), 'a')]).toEqual([]);
  });

  it('lets a member publish a microphone only while they may speak', () => {
    expect(micAllowedFor(circle('a'), 'a')).toBe(true);
    expect(micAllowedFor(circle('a'), 'b')).toBe(false);
    expect(micAllowedFor(circle(null, 'open'), 'b')).toBe(true);
    expect(micAllowedFor(circle(null), 'f')).toBe(true);
    expect(micAllowedFor(circle(null, 'round', false), 'f')).toBe(false);
    expect(micAllowedFor(circle('a'), 'ghost')).toBe(false);
  });
});

describe('MicButton', () => {
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
    expect(mute.getAttribute('aria-pressed')).toBe('true');
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

/** A media session that records what the guards tell it. */
class RecordingSession implements MediaSession {
  readonly kind = 'p2p' as const;
  readonly store = new SnapshotStore({ kind: 'p2p', status: 'connected', localStream: null, cameraOn: true, micOn: false, micAllowed: false, localSpeaking: false, remotes: {} });
  audible: string[][] = [];
  allowed: boolean[] = [];
  micCalls: boolean[] = [];
  closed = false;
  snapshot(): MediaSnapshot {
    return this.store.get();
  }
  subscribe(l: (s: MediaSnapshot) => void) {
    return this.store.subscribe(l);
  }
  setMicrophoneAllowed(allowed: boolean) {
    this.allowed.push(allowed);
    if (this.store.get().micAllowed === allowed) return;
    this.store.update({ micAllowed: allowed, micOn: allowed ? this.store.get().micOn : false });
  }
  async setMicrophoneOn(on: boolean) {
    this.micCalls.push(on);
    if (on && !this.store.get().micAllowed) return false;
    this.store.update({ micOn: on });
    return true;
  }
  async setCameraOn() {}
  async switchDevice() {}
  setAudible(ids: ReadonlySet<string>) {
    this.audible.push([...ids].sort());
  }
  resumed = 0;
  resumeAudio() {
    this.resumed += 1;
  }
  close() {
    this.closed = true;
  }
}

function channel(ack: CommandAck): MediaChannel & { joins: number; leaves: number } {
  return {
    joins: 0,
    leaves: 0,
    join() {
      this.joins += 1;
      return Promise.resolve(ack);
    },
    leave() {
      this.leaves += 1;
    },
    sendSignal() {},
    onSignal: () => () => {},
    onPeers: () => () => {},
  };
}

describe('useMedia', () => {
  const p2pAck: CommandAck = { ok: true, mode: 'p2p', iceServers: [], peers: ['f'] };

  it('applies both guards on start and after every change of the piece', async () => {
    const session = new RecordingSession();
    const ch = channel(p2pAck);
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
    const ch = channel(p2pAck);
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
    const ch = channel(ack);
    const { result } = renderHook(() => useMedia({ circleId: 'c1', selfId: 'b', state: circle('a'), channel: ch, connectionEpoch: 1, createSession: create }));
    await act(async () => result.current.start());
    expect(result.current.phase).toEqual({ kind: 'unavailable', message: 'Peer-to-peer video holds at most 6 people.' });
    expect(create).not.toHaveBeenCalled();
  });

  it('a failure to start (e.g. camera refused) leaves the media session and says why', async () => {
    const ch = channel(p2pAck);
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
    const ch = channel(p2pAck);
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
});
