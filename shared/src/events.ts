import type { Command, IceServerConfig, MediaSignal } from './commands.js';
import type { CommandErrorCode, ErrorBody } from './errors.js';
import type { Gesture } from './decide.js';
import type { CircleState } from './state.js';

export interface Welcome {
  participantId: string;
  sessionToken: string;
  serverTime: number;
}

/** `closed` (extension, gatherings): the facilitator deleted the circle, or it ended and was swept away. */
export type RemovedReason = 'removed' | 'replaced' | 'closed';

/** `media.join` through LiveKit. */
export interface LiveKitMediaAck {
  ok: true;
  url: string;
  token: string;
  /** Extension: which kind of media session this is. */
  mode?: 'livekit';
  /**
   * Extension (breakouts): the key of the place this token's room is for (`placeKey`: `main`, or a
   * group's id), so a client can tell which room it got.
   */
  place?: string;
}

/** Extension: `media.join` on a server without LiveKit, for a small circle: browsers connect directly. */
export interface P2pMediaAck {
  ok: true;
  mode: 'p2p';
  iceServers: IceServerConfig[];
  /** Members already in the peer-to-peer media session (of the member's place). */
  peers: string[];
  /** Extension (breakouts): the key of the place whose session this is (`placeKey`: `main`, or a group's id). */
  place?: string;
}

export type CommandAck =
  | { ok: true; version: number }
  | LiveKitMediaAck
  | P2pMediaAck
  | { ok: false; error: ErrorBody<CommandErrorCode> };

/** A relayed signal, as the receiving peer sees it. */
export type RelayedMediaSignal = Omit<MediaSignal, 'to'> & { from: string };

export type SignalAck = { ok: true } | { ok: false; error: ErrorBody<CommandErrorCode> };

export interface ServerToClientEvents {
  'circle:welcome': (welcome: Welcome) => void;
  'circle:state': (state: CircleState) => void;
  'circle:removed': (payload: { reason: RemovedReason }) => void;
  /** v1.1: a gesture of witnessing, to everyone present; not state, never replayed. */
  'circle:gesture': (gesture: Gesture) => void;
  /** Extension: the members now in the peer-to-peer media session of this place (to those in it). */
  'media:peers': (payload: { peers: string[] }) => void;
  'media:signal': (signal: RelayedMediaSignal) => void;
}

export interface ClientToServerEvents {
  'circle:command': (cmd: Command, ack: (result: CommandAck) => void) => void;
  'clock:sync': (ack: (serverTime: number) => void) => void;
  'media:signal': (signal: MediaSignal, ack?: (result: SignalAck) => void) => void;
}

/** Server and client socket event names, for code that refers to them by value. */
export const EVENTS = {
  welcome: 'circle:welcome',
  state: 'circle:state',
  removed: 'circle:removed',
  gesture: 'circle:gesture',
  command: 'circle:command',
  clockSync: 'clock:sync',
  mediaPeers: 'media:peers',
  mediaSignal: 'media:signal',
} as const;
