#!/usr/bin/env node
// Size gate: a source or test file over the limit fails the lint step, so a file that grows past
// one screen of concerns is split when it grows, not "later". The allow-list is short and says why.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAX_LINES = 300;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCANNED = ['packages', 'apps', 'scripts'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.turbo', 'coverage']);
const SOURCE = /\.(ts|mts|mjs|js)$/;
/** path -> why it may be longer (keep this list short). */
const ALLOWED = new Map([
  ['packages/data/src/dataset.ts', 'the fluent Dataset class: one short delegating method per operator'],
  ['packages/core/src/session/session.ts', 'the executor: run, feeds, plan cache and device dispatch in one place'],
  [
    'packages/core/src/cpu_backend/gemm.ts',
    'the JS GEMM: packing and the unrolled 4x4 micro-kernel stay together for the hot loop',
  ],
  [
    'packages/train/src/trainer/fit_run.ts',
    "the fit loop's state machine, one class (its helpers already live beside it)",
  ],
]);

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) yield* sourceFiles(join(dir, entry.name));
    } else if (SOURCE.test(entry.name)) {
      yield join(dir, entry.name);
    }
  }
}

const tooLong = [];
for (const top of SCANNED) {
  for (const file of sourceFiles(join(ROOT, top))) {
    const path = relative(ROOT, file).split('\\').join('/');
    if (ALLOWED.has(path)) continue;
    const lines = readFileSync(file, 'utf8').split('\n').length - 1;
    if (lines > MAX_LINES) tooLong.push(`${path}: ${lines} lines (limit ${MAX_LINES})`);
  }
}
if (tooLong.length > 0) {
  console.error(`size gate: ${tooLong.length} file(s) over ${MAX_LINES} lines; split them by concern:`);
  for (const line of tooLong) console.error(`  ${line}`);
  process.exit(1);
}
console.log(`size gate: every source file is within ${MAX_LINES} lines (${ALLOWED.size} allowed exceptions)`);
