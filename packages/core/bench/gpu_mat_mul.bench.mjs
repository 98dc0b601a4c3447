// matMul GFLOPS of the 'cpu' and 'gpu' (gpu.js) session devices, and 'auto', measured in one run.
// Runs against dist: `npx tsc -p tsconfig.json && node bench/gpu_mat_mul.bench.mjs [sizes...]`.
// Each size: one warm-up run per device (for 'gpu' it includes gpu.js's kernel compile, reported
// separately), then the median of timed runs, devices interleaved. Timings include feeding and fetching, as a user
// sees them. TSFLOW_GPU_MODE=cpu|webasm|headlessgl forces a gpu.js backend.
import { Graph, Session, gpuInfo, matMul, placeholder } from '../dist/index.js';
import { randomMatrix, median } from './bench_support.mjs';

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const SIZES = sizes.length > 0 ? sizes : [256, 512, 1024];
const DEVICES = ['cpu', 'gpu', 'auto'];

function repeatsFor(n) {
  return n <= 256 ? 9 : n <= 512 ? 5 : 3;
}

function maxAbsDiff(a, b) {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

const info = gpuInfo();
console.log(
  `gpu.js mode: ${info.mode} (hardware accelerated: ${info.hardwareAccelerated}; available: ${info.availableModes.join(', ')})`,
);
console.log('size  device  warm-up ms  median ms  GFLOPS  vs cpu  max |diff| vs cpu');
for (const n of SIZES) {
  const graph = new Graph();
  const { a, b, y } = graph.asDefault(() => {
    const a = placeholder('float32', [n, n], { name: 'a' });
    const b = placeholder('float32', [n, n], { name: 'b' });
    return { a, b, y: matMul(a, b) };
  });
  const feeds = { [a.name]: randomMatrix(n, 1), [b.name]: randomMatrix(n, 2) };
  const flops = 2 * n ** 3;
  const sessions = DEVICES.map((device) => new Session(graph, { device }));
  const warmups = [];
  const firsts = [];
  for (const sess of sessions) {
    const start = performance.now();
    firsts.push(await sess.run(y, feeds));
    warmups.push(performance.now() - start);
  }
  // Devices take turns within each repeat, so load from other processes hits them alike.
  const times = DEVICES.map(() => []);
  for (let r = 0; r < repeatsFor(n); r++) {
    for (let d = 0; d < sessions.length; d++) {
      const start = performance.now();
      await sessions[d].run(y, feeds);
      times[d].push(performance.now() - start);
    }
  }
  const medians = times.map(median);
  const cpuIndex = DEVICES.indexOf('cpu');
  for (let d = 0; d < DEVICES.length; d++) {
    const ms = medians[d];
    const compile = sessions[d].deviceInfo().kernelCache;
    // gpu.js compiles on a kernel's first call; the cache estimates compile time as first minus second call.
    const compileNote = compile
      ? `  gpu.js compile ~${compile.compileMs.toFixed(0)} ms (${compile.compiled} kernels)`
      : '';
    console.log(
      `${String(n).padEnd(5)} ${DEVICES[d].padEnd(7)} ${warmups[d].toFixed(1).padStart(10)} ${ms.toFixed(1).padStart(10)} ${(flops / ms / 1e6).toFixed(2).padStart(7)} ${(medians[cpuIndex] / ms).toFixed(2).padStart(6)}x ${maxAbsDiff(firsts[d].data, firsts[cpuIndex].data).toExponential(1).padStart(9)}${compileNote}`,
    );
  }
  for (const sess of sessions) sess.close();
}
