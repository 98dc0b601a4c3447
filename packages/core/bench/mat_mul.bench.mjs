// matMul throughput of the cpu kernel vs peers measured in the same run: a naive triple loop and
// TensorFlow.js's wasm (XNNPACK) and plain-JS cpu backends.
// Runs against dist: `npx tsc -p tsconfig.json && node bench/mat_mul.bench.mjs [sizes...]`.
// Reports medians over repeats and ratios to the peers (absolute GFLOPS depend on the machine).
// The `matMul` rows use the wasm SIMD GEMM where available; the `matMul (JS GEMM)` row times the
// pure-JS GEMM in a child process started with TSFLOW_WASM_GEMM=0 (the switch is read once per process).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Graph, Session, matMul, placeholder } from '../dist/index.js';
import { randomMatrix, median } from './bench_support.mjs';

const JS_PATH_CHILD_FLAG = '--js-path-child';
const childMode = process.argv[2] === JS_PATH_CHILD_FLAG;
const sizes = process.argv
  .slice(childMode ? 3 : 2)
  .map(Number)
  .filter((n) => n > 0);
const SIZES = sizes.length > 0 ? sizes : [256, 512, 1024];

// The peer: the textbook i-j-p loop on the same typed arrays.
function naiveMatMul(a, b, n) {
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < n; p++) s += a[i * n + p] * b[p * n + j];
      out[i * n + j] = s;
    }
  }
  return out;
}

async function timeIt(fn, repeats) {
  await fn(); // warm-up (JIT, plan cache)
  const times = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return median(times);
}

const repeatsFor = (n) => (n >= 1024 ? 3 : 5);

/** Median seconds of one [n,n]x[n,n] matMul run through a Session. */
async function timeSessionMatMul(a, b, n, opts, sessionOptions = {}) {
  const g = new Graph();
  const { x, y, z } = g.asDefault(() => {
    const x = placeholder('float32', [n, n], { name: 'x' });
    const y = placeholder('float32', [n, n], { name: 'y' });
    return { x, y, z: matMul(x, y, opts) };
  });
  const session = new Session(g, sessionOptions);
  const feeds = new Map([
    [x, a],
    [y, b],
  ]);
  const seconds = await timeIt(() => session.run(z, feeds), repeatsFor(n));
  session.close();
  return seconds;
}

if (childMode) {
  // Child: only the plain matMul, on whichever GEMM path this process's environment selects.
  const n = SIZES[0];
  console.log(JSON.stringify({ seconds: await timeSessionMatMul(randomMatrix(n, 1), randomMatrix(n, 2), n, {}) }));
  process.exit(0);
}

/** The same plain matMul timed in a child process with the wasm GEMM switched off. */
function timeJsPathMatMul(n) {
  const stdout = execFileSync(process.execPath, [fileURLToPath(import.meta.url), JS_PATH_CHILD_FLAG, String(n)], {
    env: { ...process.env, TSFLOW_WASM_GEMM: '0' },
    encoding: 'utf8',
  });
  return JSON.parse(stdout.trim().split('\n').pop()).seconds;
}

// TensorFlow.js peers: the same product through tfjs-core on its wasm and cpu backends.
const tf = await import('@tensorflow/tfjs-core');
await import('@tensorflow/tfjs-backend-cpu');
await import('@tensorflow/tfjs-backend-wasm');

async function tfjsMatMul(backend, a, b, n) {
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} failed to initialise`);
  await tf.ready();
  const ta = tf.tensor2d(a.data, [n, n]);
  const tb = tf.tensor2d(b.data, [n, n]);
  return {
    run: () => {
      const c = tf.matMul(ta, tb);
      c.dataSync();
      c.dispose();
    },
    dispose: () => tf.dispose([ta, tb]),
  };
}

console.log(`tfjs ${tf.version_core}; wasm backend threads/simd as detected by tfjs`);
console.log('size  variant            median_s   GFLOPS  vs_naive  vs_tfjs_wasm');
for (const n of SIZES) {
  const a = randomMatrix(n, 1);
  const b = randomMatrix(n, 2);
  const flops = 2 * n ** 3;
  const repeats = repeatsFor(n);
  const naive = await timeIt(() => naiveMatMul(a.data, b.data, n), repeats);
  const rows = [['naive i-j-p loop', naive]];
  let tfjsWasm = Number.NaN;
  for (const backend of ['wasm', 'cpu']) {
    const peer = await tfjsMatMul(backend, a, b, n);
    const seconds = await timeIt(peer.run, repeats);
    peer.dispose();
    if (backend === 'wasm') tfjsWasm = seconds;
    rows.push([`tfjs-backend-${backend}`, seconds]);
  }
  for (const [label, opts] of [
    ['matMul', {}],
    ['matMul transposeA', { transposeA: true }],
    ['matMul transposeB', { transposeB: true }],
  ]) {
    rows.push([label, await timeSessionMatMul(a, b, n, opts)]);
  }
  rows.push(['matMul (JS GEMM)', timeJsPathMatMul(n)]);
  for (const [label, seconds] of rows) {
    console.log(
      `${String(n).padEnd(5)} ${label.padEnd(18)} ${seconds.toFixed(4).padStart(8)} ${(flops / seconds / 1e9).toFixed(2).padStart(8)} ${(naive / seconds).toFixed(1).padStart(8)}x ${(tfjsWasm / seconds).toFixed(2).padStart(12)}x`,
    );
  }
}

// The same kernel on 1 and 2 threads (Session option `threads`), interleaved so load hits both alike.
const THREAD_ROUNDS = 3;
for (const n of SIZES.filter((size) => size >= 512)) {
  const a = randomMatrix(n, 1);
  const b = randomMatrix(n, 2);
  const byThreads = { 1: [], 2: [] };
  for (let r = 0; r < THREAD_ROUNDS; r++) {
    for (const threads of [1, 2]) byThreads[threads].push(await timeSessionMatMul(a, b, n, {}, { threads }));
  }
  const one = median(byThreads[1]);
  const two = median(byThreads[2]);
  const gflops = (s) => ((2 * n ** 3) / s / 1e9).toFixed(2);
  console.log(
    `${n}² matMul threads=1 ${gflops(one)} GFLOPS, threads=2 ${gflops(two)} GFLOPS: 2 threads = ${(one / two).toFixed(2)}x 1 thread`,
  );
}
