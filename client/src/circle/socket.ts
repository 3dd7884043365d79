import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, Command, CommandAck, JoinAuth, MediaSignal, ServerToClientEvents } from '@spiral/shared';

/** What a circle connection reports: the protocol's server events plus Socket.IO's own connection events. */
export interface CircleSocketHandlers extends ServerToClientEvents {
  connect: () => void;
  disconnect: (reason: string) => void;
  connect_error: (error: Error) => void;
}

/** The clock-sync half of the socket, all `useServerClock` needs. */
export interface ClockSyncChannel {
  syncClock(ack: (serverTime: number) => void): void;
}

/**
 * The circle connection as the screen uses it. The real one wraps a Socket.IO client socket; component
 * tests pass a fake that records commands and lets the test play the server.
 */
export interface CircleSocket extends ClockSyncChannel {
  /** True while connected or trying to reconnect by itself (false after a refusal or `disconnect()`). */
  readonly active: boolean;
  readonly connected: boolean;
  subscribe(handlers: Partial<CircleSocketHandlers>): () => void;
  sendCommand(cmd: Command, ack: (result: CommandAck) => void): void;
  /** Peer-to-peer media signalling, relayed by the server to one member of the same circle. */
  sendSignal(signal: MediaSignal): void;
  connect(): void;
  disconnect(): void;
}

export type SocketFactory = (auth: () => JoinAuth) => CircleSocket;

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function wrapSocket(socket: ClientSocket): CircleSocket {
  return {
    get active() {
      return socket.active;
    },
    get connected() {
      return socket.connected;
    },
    subscribe(h) {
      if (h.connect) socket.on('connect', h.connect);
      if (h.disconnect) socket.on('disconnect', h.disconnect);
      if (h.connect_error) socket.on('connect_error', h.connect_error);
      if (h['circle:welcome']) socket.on('circle:welcome', h['circle:welcome']);
      if (h['circle:state']) socket.on('circle:state', h['circle:state']);
      if (h['circle:removed']) socket.on('circle:removed', h['circle:removed']);
      if (h['circle:gesture']) socket.on('circle:gesture', h['circle:gesture']);
      if (h['media:peers']) socket.on('media:peers', h['media:peers']);
      if (h['media:signal']) socket.on('media:signal', h['media:signal']);
      return () => {
        if (h.connect) socket.off('connect', h.connect);
        if (h.disconnect) socket.off('disconnect', h.disconnect);
        if (h.connect_error) socket.off('connect_error', h.connect_error);
        if (h['circle:welcome']) socket.off('circle:welcome', h['circle:welcome']);
        if (h['circle:state']) socket.off('circle:state', h['circle:state']);
        if (h['circle:removed']) socket.off('circle:removed', h['circle:removed']);
        if (h['circle:gesture']) socket.off('circle:gesture', h['circle:gesture']);
        if (h['media:peers']) socket.off('media:peers', h['media:peers']);
        if (h['media:signal']) socket.off('media:signal', h['media:signal']);
      };
    },
    sendCommand(cmd, ack) {
      socket.emit('circle:command', cmd, ack);
    },
    syncClock(ack) {
      socket.emit('clock:sync', ack);
    },
    sendSignal(signal) {
      socket.emit('media:signal', signal);
    },
    connect() {
      socket.connect();
    },
    disconnect() {
      socket.disconnect();
    },
  };
}

/**
 * Connects to the server this page came from, without connecting yet (call `connect()` after
 * subscribing). `auth` is read again on every (re)connection attempt, so a reconnect resumes with the
 * session token from the latest `circle:welcome`.
 */
export const connectCircleSocket: SocketFactory = (auth) =>
  wrapSocket(
    io({
      auth: (cb) => cb({ ...auth() }),
      autoConnect: false,
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
    }),
  );
