// A CPU-bound map on 1 vs 2 worker threads (mapInWorkers), same run, medians over repeats.
import { availableParallelism } from 'node:os';
import { Dataset } from '../dist/index.js';
import { median, timeRepeated } from './bench_support.mjs';

const ELEMENTS = 24;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const work = new URL('./cpu_work.mjs', import.meta.url);

async function run(workers) {
  let sum = 0;
  for await (const x of Dataset.range(ELEMENTS).mapInWorkers(work, { exportName: 'burn', workers })) sum += x;
  return sum;
}

const one = await run(1);
const two = await run(2);
if (one !== two) throw new Error(`results differ between 1 and 2 workers: ${one} vs ${two}`);
const times1 = [];
const times2 = [];
for (let i = 0; i < REPEATS; i++) {
  times1.push(...(await timeRepeated(() => run(1), { warmup: 0, repeats: 1 })));
  times2.push(...(await timeRepeated(() => run(2), { warmup: 0, repeats: 1 })));
}
const ms1 = median(times1.sort((a, b) => a - b));
const ms2 = median(times2.sort((a, b) => a - b));
console.log(`mapInWorkers, ${ELEMENTS} CPU-bound elements, median of ${REPEATS} (${availableParallelism()} cores available)`);
console.log(`  1 worker    ${ms1.toFixed(0).padStart(7)} ms`);
console.log(`  2 workers   ${ms2.toFixed(0).padStart(7)} ms`);
console.log(`  speed-up    ${(ms1 / ms2).toFixed(2)}x`);
