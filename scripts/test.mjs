#!/usr/bin/env node
// The whole test suite: build (browser and black-box tests run the built app), type-check every
// package, then every Vitest project. The last line is the plain total: `N passed, M failed`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', env: process.env }).status === 0;

let failed = 0;
let passed = 0;
let skipped = 0;

if (!run('pnpm', ['build'])) {
  console.error('build failed');
  failed += 1;
}

const typecheckOk = run('pnpm', ['typecheck']);
if (typecheckOk) passed += 1;
else {
  console.error('typecheck failed');
  failed += 1;
}

const resultsFile = path.join(os.tmpdir(), `spiral-vitest-${process.pid}.json`);
const extra = process.argv.slice(2);
run('pnpm', ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`, ...extra]);

if (fs.existsSync(resultsFile)) {
  const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  passed += results.numPassedTests;
  failed += results.numFailedTests;
  skipped += results.numPendingTests + results.numTodoTests;
  // A suite that failed to load (syntax error, missing module) has no test results: count it.
  for (const suite of results.testResults ?? []) {
    if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) failed += 1;
  }
  fs.rmSync(resultsFile, { force: true });
} else {
  console.error('vitest wrote no results');
  failed += 1;
}

console.log(`typecheck: ${typecheckOk ? 'ok' : 'failed'} (counted as one test)`);
const total = `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
if (process.env.SPIRAL_TEST_SUMMARY) fs.writeFileSync(process.env.SPIRAL_TEST_SUMMARY, `${total}\n`);
console.log(total);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
