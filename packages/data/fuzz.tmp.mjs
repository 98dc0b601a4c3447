import { readFileSync, writeFileSync } from 'node:fs';
import { Dataset } from '@tsflow/data';
const src = process.argv[2];
const orig = readFileSync(src);
const base = JSON.stringify(await Dataset.fromArrow(src).toArray());
const stats = { same: 0, diff: 0, err: {} };
const diffs = [];
const path = '/tmp/i13/fuzz.arrow';
const positions = [];
for (let i = 0; i < orig.length; i++) if (i < 700 || i > orig.length - 500 || i % 23 === 0) positions.push(i);
for (const i of positions) {
  const b = Buffer.from(orig); b[i] ^= 0xff; writeFileSync(path, b);
  try {
    const out = JSON.stringify(await Dataset.fromArrow(path).toArray());
    if (out === base) stats.same++; else { stats.diff++; diffs.push(i); }
  } catch (e) {
    const m = (e.cause?.message ?? e.message).replace(/'[^']*'/g, "'X'").replace(/\d+/g, 'N').slice(0, 140);
    const k = `${e.name}: ${m}`; stats.err[k] = (stats.err[k] ?? 0) + 1;
  }
}
console.log(orig.length, 'same', stats.same, 'diff', stats.diff, diffs.slice(0, 40).join(','));
for (const [k, v] of Object.entries(stats.err).sort((a, b) => b[1] - a[1])) console.log(v, k);
