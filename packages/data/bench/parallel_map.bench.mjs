// A CPU-bound map on 1 vs 2 worker threads (mapInWorkers), same run, interleaved, medians
// over repeats. Also prints the CPU time per wall second (process.cpuUsage covers worker
// threads): on a busy machine the wall-clock speed-up is noisy, the cores actually used show
// whether the work really ran in parallel.
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Dataset } from '../dist/index.js';
import { median } from './bench_support.mjs';

const ELEMENTS = 32;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const work = new URL('./cpu_work.mjs', import.meta.url);

async function run(workers) {
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  let sum = 0;
  for await (const x of Dataset.range(ELEMENTS).mapInWorkers(work, { exportName: 'burn', workers })) sum += x;
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  return { sum, wallMs, coresUsed: (cpu.user + cpu.system) / 1000 / wallMs };
}

const check1 = await run(1);
const check2 = await run(2);
if (check1.sum !== check2.sum)
  throw new Error(`results differ between 1 and 2 workers: ${check1.sum} vs ${check2.sum}`);
const runs = { 1: [], 2: [] };
for (let i = 0; i < REPEATS; i++) {
  runs[1].push(await run(1));
  runs[2].push(await run(2));
}
const summary = (workers) => ({
  ms: median(runs[workers].map((r) => r.wallMs)),
  cores: median(runs[workers].map((r) => r.coresUsed)),
});
const one = summary(1);
const two = summary(2);
console.log(
  `mapInWorkers, ${ELEMENTS} CPU-bound elements, median of ${REPEATS} ` +
    `(${availableParallelism()} cores, load average ${loadavg()[0].toFixed(1)})`,
);
console.log(`  1 worker    ${one.ms.toFixed(0).padStart(7)} ms   ${one.cores.toFixed(2)} cores used`);
console.log(`  2 workers   ${two.ms.toFixed(0).padStart(7)} ms   ${two.cores.toFixed(2)} cores used`);
console.log(`  speed-up    ${(one.ms / two.ms).toFixed(2)}x wall clock`);
