/**
 * Gzipped sizes of the built client's JavaScript by what a person needs at each step
 * (`pnpm build` first):  node --import tsx bench/bundle-sizes.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { REPO_ROOT } from '../tests/support/server-process.js';

const assets = path.join(REPO_ROOT, 'client/dist/assets');
if (!fs.existsSync(assets)) throw new Error('client/dist is missing: run `pnpm build` first');
const files = fs.readdirSync(assets).filter((f) => f.endsWith('.js'));
const sizeOf = (prefix: string) => {
  const matches = files.filter((f) => f.startsWith(`${prefix}-`));
  if (matches.length === 0) throw new Error(`no chunk named ${prefix}-*.js`);
  return matches.reduce((sum, f) => sum + gzipSync(fs.readFileSync(path.join(assets, f)), { level: 9 }).length, 0) / 1024;
};
const home = sizeOf('index');
const circle = sizeOf('CircleScreen') + sizeOf('media');
const p2p = sizeOf('p2p-session');
const livekit = sizeOf('livekit-session');
const kb = (n: number) => `${n.toFixed(1)} KB`;
console.log('Spiral client bundle (gzip -9 of each chunk)');
console.log(`  home and join:                         ${kb(home)}`);
console.log(`  + the circle screen:                   ${kb(circle)}  (total ${kb(home + circle)})`);
console.log(`  + peer-to-peer video (no LiveKit):     ${kb(p2p)}  (total ${kb(home + circle + p2p)})`);
console.log(`  + LiveKit video (livekit-client):      ${kb(livekit)}  (total ${kb(home + circle + livekit)})`);
