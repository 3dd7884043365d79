/**
 * A member that behaves like the browser client across a scaled-out deployment: WebSocket transport
 * only, reconnects on its own (with the session token from its latest welcome, as the page does), and
 * keeps every snapshot it received, checking that one version never comes with two contents.
 */
import type { CircleState, ClientToServerEvents, Command, CommandAck, JoinAuth, ServerToClientEvents, Welcome } from '@spiral/shared';
import { io, type Socket } from 'socket.io-client';

export interface LiveMember {
  socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  participantId: string;
  /** Every welcome, with the time it came (a reconnection is a second one). */
  welcomes: { welcome: Welcome; at: number }[];
  /** The newest snapshot received (clients keep only newer versions). */
  latest(): CircleState;
  /** Versions that came twice with different contents: an acknowledged change was lost and its version reused. */
  conflicts: number[];
  removed: { reason: string }[];
  /** Send and wait for the ack, or 'timeout'. */
  send(command: Command, timeoutMs?: number): Promise<CommandAck | 'timeout'>;
  waitFor(predicate: (state: CircleState) => boolean, timeoutMs?: number): Promise<CircleState>;
  close(): void;
}

const all = new Set<LiveMember>();

export function closeLiveMembers(): void {
  for (const member of all) member.close();
  all.clear();
}

export function joinLive(url: string, auth: JoinAuth, options: { reconnect?: boolean } = {}): Promise<LiveMember> {
  let current: JoinAuth = auth;
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
    auth: (cb) => cb({ ...current }),
    transports: ['websocket'],
    forceNew: true,
    reconnection: options.reconnect ?? true,
    reconnectionDelay: 200,
    reconnectionDelayMax: 1_000,
    randomizationFactor: 0.2,
  });
  const byVersion = new Map<number, string>();
  let newest: CircleState | undefined;
  const waiters = new Set<{ predicate: (s: CircleState) => boolean; resolve: (s: CircleState) => void }>();
  const member: LiveMember = {
    socket,
    participantId: '',
    welcomes: [],
    conflicts: [],
    removed: [],
    latest: () => {
      if (!newest) throw new Error('no snapshot yet');
      return newest;
    },
    send: (command, timeoutMs = 5_000) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve('timeout'), timeoutMs);
        socket.emit('circle:command', command, (ack) => {
          clearTimeout(timer);
          resolve(ack);
        });
      }),
    waitFor(predicate, timeoutMs = 5_000) {
      if (newest && predicate(newest)) return Promise.resolve(newest);
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (s: CircleState) => {
            clearTimeout(timer);
            resolve(s);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`waitFor timed out (newest version ${newest?.version})`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close: () => socket.disconnect(),
  };
  all.add(member);
  socket.on('circle:welcome', (welcome) => {
    member.participantId = welcome.participantId;
    member.welcomes.push({ welcome, at: Date.now() });
    current = { circleId: auth.circleId, sessionToken: welcome.sessionToken, ...(auth.facilitatorKey ? { facilitatorKey: auth.facilitatorKey } : {}) };
  });
  socket.on('circle:removed', (payload) => member.removed.push(payload));
  socket.on('circle:state', (state) => {
    const json = JSON.stringify(state);
    const seen = byVersion.get(state.version);
    if (seen !== undefined && seen !== json) member.conflicts.push(state.version);
    byVersion.set(state.version, json);
    if (!newest || state.version > newest.version) newest = state;
    for (const waiter of [...waiters]) {
      if (newest && waiter.predicate(newest)) {
        waiters.delete(waiter);
        waiter.resolve(newest);
      }
    }
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('join timed out')), 10_000);
    socket.once('connect_error', (error) => {
      if (socket.active) return; // reconnecting on its own
      clearTimeout(timer);
      reject(new Error(error.message));
    });
    socket.once('circle:state', () => {
      clearTimeout(timer);
      resolve(member);
    });
  });
}
