// Where handing work to the worker pool starts to pay: the wasm GEMM and relu (a memory-bound
// elementwise kernel) on 1 thread vs split over 2, from sizes far below the thresholds in
// src/cpu_backend/parallel.ts (PARALLEL_MIN_WORK, multiply-adds) and wasm_dispatch.ts
// (PARALLEL_MIN_ELEMENTS) to far above, the split forced at every size. Two cases: back to back
// (the worker is still spinning on its last task) and after 300 µs of other work on the calling
// thread (the worker has gone to sleep and must be woken: what a small op between large ones sees).
// Runs against dist: `npx tsc -p tsconfig.json && node bench/parallel_threshold.bench.mjs`.
// 25th-percentile times over ~0.3 s per case (the quiet end of the spread); ratios = 1 thread / 2.
import { tensorHeap } from '../dist/cpu_backend/tensor_heap.js';
import { wasmKernels } from '../dist/cpu_backend/wasm_kernels.js';
import { PARALLEL_MIN_ELEMENTS, runShares } from '../dist/cpu_backend/wasm_dispatch.js';
import { PARALLEL_MIN_WORK, shareOf, stopThreads, threadPool, threadScratch } from '../dist/cpu_backend/parallel.js';

const wasm = wasmKernels();
if (wasm === null) {
  console.log('wasm kernels unavailable (or TSFLOW_WASM=0): nothing to measure');
  process.exit(0);
}
const heap = tensorHeap();
const inHeap = (length) => {
  const block = heap.alloc(length * 4);
  return new Float32Array(block.buffer, block.offset, length).fill(0.25);
};

function spinFor(ms) {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

/** 25th-percentile µs of fn, optionally after `gapMs` of busy work before each call. */
function time(fn, gapMs = 0) {
  for (let i = 0; i < 20; i++) fn();
  const samples = [];
  const start = performance.now();
  while (performance.now() - start < 300) {
    if (gapMs > 0) spinFor(gapMs);
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 2] * 1000;
}

function gemmOn(threads, a, b, out, m, k, n) {
  const args = (m0, m1, scratch) => [
    a.byteOffset,
    k * 4,
    4,
    b.byteOffset,
    n * 4,
    4,
    out.byteOffset,
    m0,
    m1,
    k,
    n,
    0,
    0,
    scratch,
  ];
  if (threads === 1) return wasm.exports.gemm(...args(0, m, wasm.scratch));
  const pool = threadPool(wasm, threads);
  pool.run('gemm', threads, (t) => {
    const [m0, m1] = shareOf(m, threads, t, 4);
    return args(m0, m1, threadScratch(wasm, pool, t));
  });
}

const row = (label, one, two, oneGap, twoGap) =>
  console.log(
    `  ${label.padEnd(26)} ${one.toFixed(1).padStart(8)} ${two.toFixed(1).padStart(8)} ${(one / two).toFixed(2).padStart(6)}x` +
      `   ${oneGap.toFixed(1).padStart(8)} ${twoGap.toFixed(1).padStart(8)} ${(oneGap / twoGap).toFixed(2).padStart(6)}x`,
  );
const header = `  ${''.padEnd(26)} ${'1 thr µs'.padStart(8)} ${'2 thr µs'.padStart(8)} ${'ratio'.padStart(7)}   ${'1 thr µs'.padStart(8)} ${'2 thr µs'.padStart(8)} ${'ratio'.padStart(7)}`;

console.log(`GEMM (m x k x n = multiply-adds; PARALLEL_MIN_WORK = ${PARALLEL_MIN_WORK}): back to back | after 300 µs`);
console.log(header);
for (const [m, k, n] of [
  [32, 64, 64],
  [64, 64, 64],
  [64, 128, 64],
  [64, 128, 128],
  [128, 128, 128],
  [128, 784, 128],
]) {
  const [a, b, out] = [inHeap(m * k), inHeap(k * n), inHeap(m * n)];
  const run = (threads) => () => gemmOn(threads, a, b, out, m, k, n);
  row(`${m}x${k}x${n} = ${m * k * n}`, time(run(1)), time(run(2)), time(run(1), 0.3), time(run(2), 0.3));
}

console.log(`\nrelu (elements; PARALLEL_MIN_ELEMENTS = ${PARALLEL_MIN_ELEMENTS}): back to back | after 300 µs`);
console.log(header);
for (const length of [4096, 16384, 65536, 262144]) {
  const [x, y] = [inHeap(length), inHeap(length)];
  const run = (threads) => () =>
    runShares({ threads }, wasm, 'relu', length, length, (from, to) => [x.byteOffset, y.byteOffset, from, to], {
      minWork: 0,
    });
  row(String(length), time(run(1)), time(run(2)), time(run(1), 0.3), time(run(2), 0.3));
}
stopThreads();
