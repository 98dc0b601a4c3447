#!/usr/bin/env node
// Sums vitest's per-package "Tests  N passed | M failed (T)" lines from a turbo log into one
// plain "N passed, M failed" line, the closing line CI reads.
import { readFileSync } from 'node:fs';

const ansiColour = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const log = readFileSync(process.argv[2] ?? 0, 'utf8').replace(ansiColour, '');
let passed = 0;
let failed = 0;
let skipped = 0;
let suites = 0;
for (const line of log.split('\n')) {
  const match = /\bTests\s+(.*)\(\d+\)\s*$/.exec(line);
  if (!match) continue;
  suites++;
  const counts = match[1];
  passed += Number(/(\d+) passed/.exec(counts)?.[1] ?? 0);
  failed += Number(/(\d+) failed/.exec(counts)?.[1] ?? 0);
  skipped += Number(/(\d+) skipped/.exec(counts)?.[1] ?? 0);
}
if (suites === 0) {
  console.log('0 passed, 0 failed');
  console.error('test-summary: no vitest summary lines found in the log');
  process.exit(1);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
