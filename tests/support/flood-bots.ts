/**
 * One address flooding within every per-connection limit, in a process of its own: `count`
 * connections spread over the given circles, each toggling its hand 10 times a second for
 * `seconds`, all behind one X-Forwarded-For address.
 *
 *   node --import tsx tests/support/flood-bots.ts <url> <circleId,circleId…> <count> <seconds> <address>
 *
 * Prints `ready` once connected, then waits for a line on stdin to start; prints a JSON summary
 * `{ sent, ok, limited, other, cut }` at the end (`cut`: connections the server closed) and exits.
 */
import readline from 'node:readline';
import { connectLoadMember } from './load-members.js';

const [url, circleList, count, seconds, address] = process.argv.slice(2);
if (!url || !circleList || !count || !seconds || !address) throw new Error('usage: flood-bots <url> <circleIds> <count> <seconds> <address>');
const circleIds = circleList.split(',');
const bots = await Promise.all(
  Array.from({ length: Number(count) }, (_, i) =>
    connectLoadMember(url, { circleId: circleIds[i % circleIds.length], name: `Flood ${i}` }, undefined, 30_000, { 'x-forwarded-for': address }),
  ),
);
process.stdout.write('ready\n');
await new Promise<void>((resolve) => readline.createInterface({ input: process.stdin }).once('line', () => resolve()));

const totals = { sent: 0, ok: 0, limited: 0, other: 0, cut: 0 };
const stopAt = Date.now() + Number(seconds) * 1000;
await Promise.all(
  bots.map(async (bot, i) => {
    await new Promise((r) => setTimeout(r, (i * 7) % 100));
    for (let raised = false; Date.now() < stopAt; raised = !raised) {
      const started = Date.now();
      totals.sent += 1;
      const ack = await Promise.race([
        bot.send(raised ? { type: 'hand.lower' } : { type: 'hand.raise' }),
        new Promise<null>((resolve) => (bot.socket.connected ? bot.socket.once('disconnect', () => resolve(null)) : resolve(null))),
      ]);
      if (ack === null) {
        totals.cut += 1;
        return;
      }
      if (ack.ok) totals.ok += 1;
      else if (ack.error.code === 'rate_limited') totals.limited += 1;
      else totals.other += 1;
      await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - started))));
    }
  }),
);
process.stdout.write(`${JSON.stringify(totals)}\n`);
for (const bot of bots) bot.close();
process.exit(0);
