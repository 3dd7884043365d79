/**
 * The benchmarks' baseline: a bare Socket.IO server that keeps a circle-shaped state per room and,
 * on each command, bumps its version, broadcasts the whole state to the room and acks — what
 * Spiral does on a change, minus deciding, storing and checking. Same Socket.IO options as Spiral.
 *
 *   PORT=4000 node --import tsx server/src/testing/bare-broadcast-server.ts
 */
import http from 'node:http';
import type { CircleState } from '@spiral/shared';
import { makeCircle, makeMember } from '@spiral/shared/testing';
import { Server } from 'socket.io';
import { MAX_SOCKET_MESSAGE_BYTES, PING_INTERVAL_MS, PING_TIMEOUT_MS } from '../app.js';

const states = new Map<string, CircleState>();
const httpServer = http.createServer((req, res) => {
  if (req.url === '/api/health') res.end('{"ok":true}');
  else if (req.url === '/api/circles' && req.method === 'POST') {
    const circleId = `bare${states.size}`;
    states.set(circleId, makeCircle({ id: circleId, title: `Bare ${circleId}`, members: [] }));
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ circleId, facilitatorKey: 'unused', inviteUrl: '', facilitatorUrl: '' }));
  } else res.writeHead(404).end();
});
const io = new Server(httpServer, {
  maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES,
  pingInterval: PING_INTERVAL_MS,
  pingTimeout: PING_TIMEOUT_MS,
  serveClient: false,
});

io.on('connection', (socket) => {
  const auth = socket.handshake.auth as { circleId?: unknown; name?: unknown };
  const circleId = typeof auth.circleId === 'string' ? auth.circleId : '';
  const state = states.get(circleId);
  if (!state) return void socket.disconnect(true);
  const id = `p_${socket.id}`;
  const next = {
    ...state,
    version: state.version + 1,
    participants: [...state.participants, makeMember({ id, name: String(auth.name ?? 'Member') }, state.participants.length)],
  };
  states.set(circleId, next);
  socket.emit('circle:welcome', { participantId: id, sessionToken: 'unused', serverTime: Date.now() });
  void socket.join(circleId);
  io.to(circleId).emit('circle:state', next);
  socket.on('circle:command', (_command: unknown, ack: unknown) => {
    const current = states.get(circleId)!;
    const changed = { ...current, version: current.version + 1 };
    states.set(circleId, changed);
    io.to(circleId).emit('circle:state', changed);
    if (typeof ack === 'function') ack({ ok: true, version: changed.version });
  });
});

httpServer.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
