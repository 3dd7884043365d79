/**
 * Many light members for load tests and benchmarks: each keeps only the newest version it has seen,
 * and a circle's `Fanout` records when every member has reached a version — no snapshot history.
 */
import type { ClientToServerEvents, CommandAck, ServerToClientEvents } from '@spiral/shared';
import { io, type Socket } from 'socket.io-client';

type LightSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** When each version reached every member of one circle. */
export class Fanout {
  private readonly arrivals = new Map<number, number>();
  private readonly done = new Map<number, number>();
  private readonly waiters = new Map<number, (at: number) => void>();
  constructor(readonly size: number) {}

  arrived(version: number, at: number): void {
    const count = (this.arrivals.get(version) ?? 0) + 1;
    this.arrivals.set(version, count);
    if (count < this.size) return;
    this.arrivals.delete(version);
    this.done.set(version, at);
    this.waiters.get(version)?.(at);
    this.waiters.delete(version);
    for (const old of this.done.keys()) if (old < version - 16) this.done.delete(old);
    for (const old of this.arrivals.keys()) if (old < version - 16) this.arrivals.delete(old);
  }

  /** Resolves with the time the last member received `version`. */
  everyoneHas(version: number, timeoutMs: number): Promise<number> {
    const at = this.done.get(version);
    if (at !== undefined) return Promise.resolve(at);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(version);
        reject(new Error(`version ${version} did not reach all ${this.size} members in ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.set(version, (when) => {
        clearTimeout(timer);
        resolve(when);
      });
    });
  }
}

export interface LoadMember {
  socket: LightSocket;
  version: number;
  send(command: Record<string, unknown>): Promise<CommandAck>;
  close(): void;
}

/** Connect one member (websocket only); resolves once its first snapshot arrived. */
export function connectLoadMember(
  url: string,
  auth: Record<string, unknown>,
  fanout?: Fanout,
  timeoutMs = 20_000,
  extraHeaders?: Record<string, string>,
): Promise<LoadMember> {
  const socket: LightSocket = io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders });
  const member: LoadMember = {
    socket,
    version: 0,
    send: (command) => new Promise((resolve) => socket.emit('circle:command', command as never, (ack) => resolve(ack))),
    close: () => socket.disconnect(),
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.disconnect();
      reject(new Error('join timed out'));
    }, timeoutMs);
    socket.on('circle:state', (state) => {
      const first = member.version === 0;
      member.version = state.version;
      if (fanout) fanout.arrived(state.version, performance.now());
      if (first) {
        clearTimeout(timer);
        resolve(member);
      }
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      socket.disconnect();
      reject(error);
    });
  });
}
