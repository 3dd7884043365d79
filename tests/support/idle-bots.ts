/**
 * Members in a process of their own that stop reading, for slow-reader tests:
 * - `frozen`: connect, then wait to be sent `SIGSTOP` (a suspended device: no reads, no pongs);
 * - `deaf`: connect, then stop reading their sockets while still writing Engine.IO pongs blindly
 *   every few seconds, so heartbeats alone never let them go (a hostile client).
 *
 *   node --import tsx tests/support/idle-bots.ts <url> <circleId> <count> <frozen|deaf>
 *
 * Prints `ready <count>` once every bot has its first snapshot.
 */
import { connectLoadMember } from './load-members.js';

const [url, circleId, count, mode = 'frozen'] = process.argv.slice(2);
if (!url || !circleId || !count) throw new Error('usage: idle-bots <url> <circleId> <count> <frozen|deaf>');
const bots = await Promise.all(Array.from({ length: Number(count) }, (_, i) => connectLoadMember(url, { circleId, name: `Idle ${i}` })));

/** The `ws` WebSocket under a socket.io-client connection (websocket transport). */
interface RawWebSocket {
  send(data: string): void;
  _socket: { pause(): void };
}

/** engine.io-client's own heartbeat watch, which a hostile client simply does not run. */
interface ClientHeartbeat {
  _pingTimeoutTimer: ReturnType<typeof setTimeout> | null;
  _resetPingTimeout(): void;
}

if (mode === 'deaf') {
  for (const bot of bots) {
    const engine = bot.socket.io.engine as unknown as ClientHeartbeat;
    engine._resetPingTimeout = () => {};
    if (engine._pingTimeoutTimer) clearTimeout(engine._pingTimeoutTimer);
    const ws = (bot.socket.io.engine.transport as unknown as { ws: RawWebSocket }).ws;
    ws._socket.pause();
    // Engine.IO's pong packet is "3": written without ever reading the server's pings.
    setInterval(() => ws.send('3'), 3_000);
  }
}
process.stdout.write(`ready ${bots.length}\n`);
