// range(1e6).map(x => x * 2).batch(1024): tsflow vs @tensorflow/tfjs-data
// (generator().map().batch()), measured in the same run. Both consume every batch with
// `for await` / the iterator's next() and read one value from it so the work can't be skipped.
import * as tfc from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfd from '@tensorflow/tfjs-data';
import { Dataset } from '../dist/index.js';
import { formatRate, median, timeRepeated } from './bench_support.mjs';

const ROWS = 1_000_000;
const BATCH = 1024;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);

async function runTsflow() {
  let checksum = 0;
  for await (const batch of Dataset.range(ROWS)
    .map((x) => x * 2)
    .batch(BATCH))
    checksum += batch.data[0];
  return checksum;
}

async function runTfjsData() {
  let checksum = 0;
  const ds = tfd
    .generator(function* numbers() {
      for (let i = 0; i < ROWS; i++) yield i;
    })
    .map((x) => x * 2)
    .batch(BATCH);
  const it = await ds.iterator();
  for (;;) {
    const { value, done } = await it.next();
    if (done) break;
    checksum += value.dataSync()[0];
    value.dispose();
  }
  return checksum;
}

await tfc.setBackend('cpu');
const expected = await runTsflow();
const check = await runTfjsData();
if (expected !== check) throw new Error(`checksums differ: tsflow ${expected}, tfjs-data ${check}`);

// Interleave the two so that machine noise hits both alike.
const tsflowTimes = [];
const tfjsTimes = [];
for (let i = 0; i < REPEATS; i++) {
  tsflowTimes.push(...(await timeRepeated(runTsflow, { warmup: 0, repeats: 1 })));
  tfjsTimes.push(...(await timeRepeated(runTfjsData, { warmup: 0, repeats: 1 })));
}
const tsflowMs = median(tsflowTimes);
const tfjsMs = median(tfjsTimes);
console.log(`range(${ROWS}).map(x => x * 2).batch(${BATCH}), median of ${REPEATS} (node ${process.version})`);
console.log(`  tsflow      ${tsflowMs.toFixed(1).padStart(8)} ms  ${formatRate((ROWS / tsflowMs) * 1000)} rows/s`);
console.log(`  tfjs-data   ${tfjsMs.toFixed(1).padStart(8)} ms  ${formatRate((ROWS / tfjsMs) * 1000)} rows/s`);
console.log(`  ratio       ${(tfjsMs / tsflowMs).toFixed(1)}x faster than tfjs-data (target >= 10x)`);
