/**
 * Gzipped sizes of the built client's JavaScript by what a person needs at each step, following Vite's
 * manifest (each step counts the chunks it loads that earlier steps have not):
 *   pnpm build && node --import tsx bench/bundle-sizes.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { REPO_ROOT } from '../tests/support/server-process.js';

interface ManifestChunk {
  file: string;
  name?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

const dist = path.join(REPO_ROOT, 'client/dist');
const manifestFile = path.join(dist, '.vite/manifest.json');
if (!fs.existsSync(manifestFile)) throw new Error('client/dist/.vite/manifest.json is missing: run `pnpm build` first');
const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, ManifestChunk>;

/** The manifest key of the chunk whose source or name matches. */
function keyOf(match: (key: string, chunk: ManifestChunk) => boolean, what: string): string {
  const found = Object.entries(manifest).find(([key, chunk]) => match(key, chunk));
  if (!found) throw new Error(`no chunk for ${what} in the Vite manifest`);
  return found[0];
}

/** The chunk and everything it imports statically (loaded together). */
function closure(key: string, into = new Set<string>()): Set<string> {
  if (into.has(key)) return into;
  into.add(key);
  for (const imported of manifest[key]?.imports ?? []) closure(imported, into);
  return into;
}

const gzKB = (keys: Iterable<string>) =>
  [...keys].reduce((sum, key) => sum + gzipSync(fs.readFileSync(path.join(dist, manifest[key]!.file)), { level: 9 }).length, 0) / 1024;
const minus = (a: Set<string>, b: Set<string>) => new Set([...a].filter((k) => !b.has(k)));

const home = closure(keyOf((_, c) => c.isEntry === true, 'the entry'));
const circle = minus(closure(keyOf((k) => k.endsWith('circle/CircleScreen.tsx'), 'the circle screen')), home);
const loaded = new Set([...home, ...circle]);
const p2p = minus(closure(keyOf((k) => k.endsWith('media/p2p-session.ts'), 'peer-to-peer video')), loaded);
const livekit = minus(closure(keyOf((k) => k.endsWith('media/livekit-session.ts'), 'LiveKit video')), loaded);

const kb = (n: number) => `${n.toFixed(1)} KB`;
const [h, c, p, l] = [gzKB(home), gzKB(circle), gzKB(p2p), gzKB(livekit)];
console.log('Spiral client bundle (gzip -9 of each chunk, by the Vite manifest)');
console.log(`  home and join:                         ${kb(h)}  [target ≤ 120 KB]`);
console.log(`  + the circle screen:                   ${kb(c)}  (total ${kb(h + c)})`);
console.log(`  + peer-to-peer video (no LiveKit):     ${kb(p)}  (total ${kb(h + c + p)})`);
console.log(`  + LiveKit video (livekit-client):      ${kb(l)}  (total ${kb(h + c + l)})`);
