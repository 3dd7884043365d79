import {
  type ClientToServerEvents,
  type CircleState,
  type Command,
  type CommandAck,
  type JoinAuth,
  type ServerToClientEvents,
  type Welcome,
} from '@spiral/shared';
import {
  type CircleStore,
  type Clock,
  type Config,
  createLogger,
  createSpiralApp,
  MemoryCircleStore,
  type MediaProvider,
  type SpiralApp,
  systemClock,
  testConfig,
} from '@spiral/server';
import { io, type Socket } from 'socket.io-client';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestServer {
  app: SpiralApp;
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface StartOptions {
  store?: CircleStore;
  clock?: Clock;
  /** A media server; without one, video is peer to peer. */
  media?: MediaProvider;
  config?: Partial<Config>;
  logLines?: string[];
}

/** A real Spiral server on 127.0.0.1, port 0. */
export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const logLines = options.logLines;
  const destination = logLines ? { write: (line: string) => void logLines.push(line) } : undefined;
  const config = testConfig({ host: '127.0.0.1', logLevel: logLines ? 'debug' : 'silent', ...options.config });
  const app = createSpiralApp({
    config,
    store: options.store ?? new MemoryCircleStore(),
    clock: options.clock ?? systemClock,
    logger: createLogger(config.logLevel, destination),
    media: options.media,
  });
  const port = await app.listen();
  return { app, port, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

export interface CreatedCircle {
  circleId: string;
  facilitatorKey: string;
  inviteUrl: string;
  facilitatorUrl: string;
}

export async function createCircle(url: string, body: unknown = { title: 'Evening circle' }): Promise<CreatedCircle> {
  const res = await fetch(`${url}/api/circles`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as CreatedCircle;
}

export interface Member {
  socket: ClientSocket;
  welcome: Welcome;
  /** Every snapshot this member received, in order. */
  states: CircleState[];
  latest(): CircleState;
  send(command: Command | Record<string, unknown>): Promise<CommandAck>;
  /** Resolves with the first snapshot (already received or coming) that satisfies `predicate`. */
  waitFor(predicate: (state: CircleState) => boolean, timeoutMs?: number): Promise<CircleState>;
  removed: { reason: string }[];
  close(): void;
}

const openSockets = new Set<ClientSocket>();

/** Close every socket a test opened (call in afterEach). */
export function closeAllSockets(): void {
  for (const socket of openSockets) socket.disconnect();
  openSockets.clear();
}

/** A handshake `auth` that may break the schema on purpose, to see how it is refused. */
export type AnyJoinAuth = { [K in keyof JoinAuth]?: unknown };

/** Connect with `auth`; resolves once welcomed and the first snapshot arrived, rejects with the refusal code. */
export function join(url: string, auth: JoinAuth, extraHeaders?: Record<string, string>): Promise<Member> {
  return connect(url, auth, extraHeaders);
}

function connect(url: string, auth: AnyJoinAuth, extraHeaders?: Record<string, string>): Promise<Member> {
  const socket: ClientSocket = io(url, {
    auth,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders,
  });
  openSockets.add(socket);
  const states: CircleState[] = [];
  const removed: { reason: string }[] = [];
  const waiters: { predicate: (s: CircleState) => boolean; resolve: (s: CircleState) => void }[] = [];
  socket.on('circle:state', (state) => {
    states.push(state);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(state)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(state);
      }
    }
  });
  socket.on('circle:removed', (payload) => removed.push(payload));

  return new Promise<Member>((resolve, reject) => {
    let welcome: Welcome | undefined;
    const timer = setTimeout(() => reject(new Error('join timed out')), 5_000);
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      socket.disconnect();
      reject(new Error(error.message));
    });
    socket.once('circle:welcome', (w) => {
      welcome = w;
    });
    const onEarlyDisconnect = (reason: string) => {
      clearTimeout(timer);
      reject(new Error(`disconnected before the first snapshot: ${reason}`));
    };
    socket.once('disconnect', onEarlyDisconnect);
    socket.once('circle:state', () => {
      clearTimeout(timer);
      socket.off('disconnect', onEarlyDisconnect);
      if (!welcome) return reject(new Error('state arrived before welcome'));
      const member: Member = {
        socket,
        welcome,
        states,
        removed,
        latest: () => states[states.length - 1]!,
        send: (command) =>
          new Promise<CommandAck>((res) => socket.emit('circle:command', command as Command, (ack) => res(ack))),
        waitFor(predicate, timeoutMs = 3_000) {
          const found = [...states].reverse().find(predicate);
          if (found) return Promise.resolve(found);
          return new Promise<CircleState>((res, rej) => {
            const t = setTimeout(() => rej(new Error('waitFor timed out')), timeoutMs);
            waiters.push({ predicate, resolve: (s) => (clearTimeout(t), res(s)) });
          });
        },
        close: () => socket.disconnect(),
      };
      resolve(member);
    });
  });
}

/** The refusal code of a join that must fail. */
export async function joinError(url: string, auth: AnyJoinAuth, extraHeaders?: Record<string, string>): Promise<string> {
  try {
    const member = await connect(url, auth, extraHeaders);
    member.close();
    return 'joined';
  } catch (error) {
    return (error as Error).message;
  }
}

/** A facilitator and some participants seated in a fresh circle. */
export async function seatCircle(url: string, participantNames: string[], body?: unknown) {
  const circle = await createCircle(url, body);
  const host = await join(url, { circleId: circle.circleId, name: 'Host', facilitatorKey: circle.facilitatorKey });
  const others: Member[] = [];
  for (const name of participantNames) others.push(await join(url, { circleId: circle.circleId, name }));
  const last = others[others.length - 1] ?? host;
  await host.waitFor((s) => s.version >= last.latest().version);
  return { circle, host, others };
}

/** A round trip on `member`'s connection: every snapshot sent to it before now has arrived after this. */
export function roundTrip(member: Member): Promise<number> {
  return new Promise((resolve) => member.socket.emit('clock:sync', (serverTime) => resolve(serverTime)));
}
