import type { Command } from './commands.js';
import type { CommandErrorCode, ErrorBody } from './errors.js';
import type { CircleState } from './state.js';

export interface Welcome {
  participantId: string;
  sessionToken: string;
  serverTime: number;
}

export type RemovedReason = 'removed' | 'replaced';

export type CommandAck =
  | { ok: true; version: number }
  | { ok: true; url: string; token: string }
  | { ok: false; error: ErrorBody<CommandErrorCode> };

export interface ServerToClientEvents {
  'circle:welcome': (welcome: Welcome) => void;
  'circle:state': (state: CircleState) => void;
  'circle:removed': (payload: { reason: RemovedReason }) => void;
}

export interface ClientToServerEvents {
  'circle:command': (cmd: Command, ack: (result: CommandAck) => void) => void;
  'clock:sync': (ack: (serverTime: number) => void) => void;
}

/** Server and client socket event names, for code that refers to them by value. */
export const EVENTS = {
  welcome: 'circle:welcome',
  state: 'circle:state',
  removed: 'circle:removed',
  command: 'circle:command',
  clockSync: 'clock:sync',
} as const;
