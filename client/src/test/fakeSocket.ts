import { type CircleState, type Command, type CommandAck, type JoinAuth, type MediaSignal, type Participant } from '@spiral/shared';
import { makeCircle, makeMember } from '@spiral/shared/testing';
import type { CircleSocket, CircleSocketHandlers, SocketFactory } from '../circle/socket';

export interface SentCommand {
  cmd: Command;
  ack: (result: CommandAck) => void;
}

/** A stand-in for the Socket.IO connection: records what the client sends, lets the test play the server. */
export class FakeSocket implements CircleSocket {
  active = false;
  connected = false;
  connectCalls = 0;
  disconnectCalls = 0;
  readonly commands: SentCommand[] = [];
  readonly clockAcks: ((serverTime: number) => void)[] = [];
  /** When set, answers clock:sync by itself. */
  clockResponder: ((ack: (serverTime: number) => void) => void) | null = null;
  private handlers: Partial<CircleSocketHandlers>[] = [];
  lastAuth: JoinAuth | null = null;

  constructor(private readonly auth: () => JoinAuth = () => ({ circleId: 'c1' })) {}

  subscribe(h: Partial<CircleSocketHandlers>): () => void {
    this.handlers.push(h);
    return () => {
      this.handlers = this.handlers.filter((x) => x !== h);
    };
  }
  sendCommand(cmd: Command, ack: (result: CommandAck) => void): void {
    this.commands.push({ cmd, ack });
  }
  readonly signals: MediaSignal[] = [];
  sendSignal(signal: MediaSignal): void {
    this.signals.push(signal);
  }
  syncClock(ack: (serverTime: number) => void): void {
    if (this.clockResponder) this.clockResponder(ack);
    else this.clockAcks.push(ack);
  }
  connect(): void {
    this.connectCalls += 1;
    this.active = true;
    this.lastAuth = this.auth();
  }
  disconnect(): void {
    this.disconnectCalls += 1;
    this.active = false;
    this.connected = false;
  }

  fire<E extends keyof CircleSocketHandlers>(event: E, ...args: Parameters<CircleSocketHandlers[E]>): void {
    for (const h of [...this.handlers]) {
      const fn = h[event] as ((...a: Parameters<CircleSocketHandlers[E]>) => void) | undefined;
      fn?.(...args);
    }
  }

  /** The server accepts the handshake: connect, welcome, first snapshot. */
  accept(participantId: string, state: CircleState, sessionToken = `token-${participantId}`): void {
    this.connected = true;
    this.fire('connect');
    this.fire('circle:welcome', { participantId, sessionToken, serverTime: Date.now() });
    this.fire('circle:state', state);
  }

  /** The server refuses the handshake (Socket.IO then stops trying). */
  refuse(code: string): void {
    this.active = false;
    this.fire('connect_error', new Error(code));
  }
}

export function fakeFactory(): { factory: SocketFactory; sockets: FakeSocket[] } {
  const sockets: FakeSocket[] = [];
  return {
    sockets,
    factory: (auth) => {
      const s = new FakeSocket(auth);
      sockets.push(s);
      return s;
    },
  };
}

/** A member named after their id (`ann` is "Ann"), through the shared builder. */
export function member(id: string, seat: number, extra: Partial<Participant> = {}): Participant {
  return { ...makeMember({ id, seat, name: id[0]?.toUpperCase() + id.slice(1) }), ...extra };
}

/** A wtr-spiral circle `c1` with exactly these members, through the shared builder. */
export function circleWith(participants: Participant[], patch: Partial<CircleState> = {}): CircleState {
  return { ...makeCircle({ id: 'c1', title: 'Tuesday circle', createdAt: 1_000_000 }), participants, ...patch };
}
