import { useCallback, useEffect, useRef, useState } from 'react';
import {
  CLIENT_REFUSALS,
  circleStateSchema,
  isJoinErrorCode,
  type CircleState,
  type Command,
  type CommandAck,
  type JoinAuth,
  type JoinErrorCode,
  type RemovedReason,
} from '@spiral/shared';
import type { CircleSocket, SocketFactory } from './socket';

export type ConnectionStatus =
  | { kind: 'connecting' }
  | { kind: 'connected' }
  | { kind: 'reconnecting' }
  | { kind: 'refused'; code: JoinErrorCode }
  | { kind: 'removed'; reason: RemovedReason };

/** An ack from the server, or a local failure to get one. */
export type SendResult = CommandAck | { ok: false; error: { code: 'timeout' | 'offline'; message: string } };

export interface CircleConnection {
  status: ConnectionStatus;
  state: CircleState | null;
  participantId: string | null;
  /** The live socket (for the clock), null before it exists. */
  socket: CircleSocket | null;
  send(cmd: Command): Promise<SendResult>;
  /** Try again after a refusal or a `replaced` removal (always a deliberate user action). */
  retry(): void;
}

export interface ConnectionOptions {
  circleId: string;
  /** Read on every (re)connection attempt. */
  auth: () => JoinAuth;
  factory: SocketFactory;
  onWelcome?: (welcome: { participantId: string; sessionToken: string }) => void;
  ackTimeoutMs?: number;
}

export function useCircleConnection({ circleId, auth, factory, onWelcome, ackTimeoutMs = 10_000 }: ConnectionOptions): CircleConnection {
  const [status, setStatus] = useState<ConnectionStatus>({ kind: 'connecting' });
  const [state, setState] = useState<CircleState | null>(null);
  const [participantId, setParticipantId] = useState<string | null>(null);
  const [socket, setSocket] = useState<CircleSocket | null>(null);
  const authRef = useRef(auth);
  authRef.current = auth;
  const welcomeRef = useRef(onWelcome);
  welcomeRef.current = onWelcome;
  /** Set when removed or replaced: the socket must never reconnect by itself. */
  const stoppedRef = useRef(false);

  useEffect(() => {
    const s = factory(() => authRef.current());
    stoppedRef.current = false;
    let kicks = 0; // server-side disconnects in a row, for backing off
    let rejoin: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = s.subscribe({
      connect: () => {
        /* wait for circle:welcome before calling it connected */
      },
      'circle:welcome': (welcome) => {
        kicks = 0;
        setParticipantId(welcome.participantId);
        welcomeRef.current?.(welcome);
        setStatus({ kind: 'connected' });
      },
      'circle:state': (snapshot) => {
        const parsed = circleStateSchema.safeParse(snapshot);
        if (!parsed.success) {
          console.error('spiral: ignoring a malformed circle:state', parsed.error);
          return;
        }
        setState((previous) => (previous && previous.id === parsed.data.id && previous.version > parsed.data.version ? previous : parsed.data));
      },
      'circle:removed': ({ reason }: { reason: RemovedReason }) => {
        stoppedRef.current = true;
        setStatus({ kind: 'removed', reason });
        s.disconnect();
      },
      connect_error: (error) => {
        if (stoppedRef.current) return;
        // A refusal by the server stops the socket (active: false); a network failure keeps it trying.
        if (!s.active && isJoinErrorCode(error.message)) setStatus({ kind: 'refused', code: error.message });
        else setStatus((prev) => (prev.kind === 'connecting' ? prev : { kind: 'reconnecting' }));
      },
      disconnect: (reason) => {
        if (stoppedRef.current || reason === 'io client disconnect') return;
        setStatus({ kind: 'reconnecting' });
        if (reason === 'io server disconnect') {
          // Socket.IO does not come back by itself after a server-side disconnect. A removal or a
          // replacement always arrives first as circle:removed (and stops us); anything else — a
          // server shutting down for a deploy — is worth another try, backing off.
          const delay = Math.min(30_000, 1_000 * 2 ** kicks);
          kicks += 1;
          rejoin = setTimeout(() => {
            if (!stoppedRef.current) s.connect();
          }, delay);
        }
      },
    });
    setSocket(s);
    s.connect();
    return () => {
      clearTimeout(rejoin);
      unsubscribe();
      s.disconnect();
    };
  }, [circleId, factory]);

  const send = useCallback(
    (cmd: Command): Promise<SendResult> =>
      new Promise((resolve) => {
        if (!socket || !socket.connected) {
          resolve({ ok: false, error: CLIENT_REFUSALS.offline });
          return;
        }
        const timer = setTimeout(
          () => resolve({ ok: false, error: CLIENT_REFUSALS.timeout }),
          ackTimeoutMs,
        );
        socket.sendCommand(cmd, (result) => {
          clearTimeout(timer);
          resolve(result);
        });
      }),
    [socket, ackTimeoutMs],
  );

  const retry = useCallback(() => {
    if (!socket) return;
    stoppedRef.current = false;
    setStatus({ kind: 'connecting' });
    socket.disconnect();
    socket.connect();
  }, [socket]);

  return { status, state, participantId, socket, send, retry };
}
