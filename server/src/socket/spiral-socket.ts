import type { ClientToServerEvents, ServerToClientEvents } from '@spiral/shared';
import type { Server, Socket } from 'socket.io';

/** Who a connection is, set once at the handshake — never taken from a payload. */
export interface SocketData {
  circleId: string;
  participantId: string;
  sessionToken: string;
}

export type SpiralServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type SpiralSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
