// Training steps per second of the MLP and CNN in models.mjs: tsflow (one Session.run([loss,
// train]) per step) against TensorFlow.js's wasm backend (XNNPACK) in the same process,
// interleaved round by round so load changes hit every system alike; tsflow's variants (threads
// 1 vs 2, graph fusion off, WASM kernels off) in child processes; then the new ArrayBuffers per
// step in steady state, counted in a child process.
// Usage (after a build): node bench/training_step.bench.mjs [--rounds N] [--only mlp|cnn]
//   [--baseline DIR]  DIR holds another build of the repo (packages/core/dist and
//                     packages/train/dist, e.g. an older commit): it joins the interleaved rounds.
//   [--quick]         only the interleaved rounds (no variants, no allocation counts).
// Medians over rounds; ratios are against peers measured in the same run.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { batchData, buildTfjs, buildTsflow } from './models.mjs';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const ROUNDS = Number(flag('--rounds', 5));
const ONLY = flag('--only', undefined);
const CHILD = flag('--child', undefined);
const BASELINE = flag('--baseline', undefined);
const QUICK = args.includes('--quick');
/** Seconds of stepping per round and system. */
const ROUND_SECONDS = 1;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Steps/s of one round: as many steps as fit in ROUND_SECONDS (at least 3). */
async function stepRate(step) {
  const start = performance.now();
  let steps = 0;
  while (steps < 3 || performance.now() - start < ROUND_SECONDS * 1000) {
    await step();
    steps++;
  }
  return steps / ((performance.now() - start) / 1000);
}

async function loadTsflow(root) {
  if (!root) return { core: await import('@tsflow/core'), train: await import('@tsflow/train') };
  const load = (pkg) => import(pathToFileURL(join(root, 'packages', pkg, 'dist', 'index.js')).href);
  return { core: await load('core'), train: await load('train') };
}

/** A warmed-up session of `model` on the tsflow build `lib`: step() runs [loss, train]. */
async function tsflowStepper(lib, model, sessionOptions) {
  const built = buildTsflow(lib.core, lib.train, model);
  const session = new lib.core.Session(built.graph, sessionOptions);
  await session.run(built.init);
  const { x, y, xShape } = batchData(model);
  const feeds = new Map([
    [built.x, lib.core.ndarray(x, { shape: xShape })],
    [built.y, lib.core.ndarray(y, { shape: [y.length] })],
  ]);
  const fetches = [built.loss, built.train];
  for (let i = 0; i < 3; i++) await session.run(fetches, feeds);
  return {
    step: () => session.run(fetches, feeds),
    trainOnly: () => session.run(built.train, feeds),
    close: () => session.close(),
  };
}

// Child modes: one tsflow variant's rounds, or the allocation count, printed as one JSON line.
if (CHILD) {
  const job = JSON.parse(CHILD);
  if (job.kind === 'allocations') {
    // Installed before tsflow is imported, so every module sees the counting constructors.
    const { installAllocationCounter, allocationCount } = await import('./allocation_counter.mjs');
    installAllocationCounter();
    const stepper = await tsflowStepper(await loadTsflow(job.root), job.model, job.sessionOptions);
    const STEPS = 20;
    const perStep = async (fn) => {
      for (let i = 0; i < 5; i++) await fn();
      const before = allocationCount();
      for (let i = 0; i < STEPS; i++) await fn();
      return (allocationCount() - before) / STEPS;
    };
    const perTrainStep = await perStep(stepper.trainOnly);
    const perLossStep = await perStep(stepper.step);
    stepper.close();
    console.log(JSON.stringify({ perTrainStep, perLossStep }));
  } else {
    const stepper = await tsflowStepper(await loadTsflow(job.root), job.model, job.sessionOptions);
    const rates = [];
    for (let r = 0; r < job.rounds; r++) rates.push(await stepRate(stepper.step));
    stepper.close();
    console.log(JSON.stringify({ rates }));
  }
  process.exit(0);
}

function runChild(job, env = {}) {
  const stdout = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', JSON.stringify(job)], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(stdout.trim().split('\n').pop());
}

const tf = await import('@tensorflow/tfjs-core');
await import('@tensorflow/tfjs-backend-wasm');
// tfjs-core's bundles register no gradient functions; tfjs-layers' bundle registers them all
// (in tfjs-core's global registry), as the tfjs union package does.
await import('@tensorflow/tfjs-layers');

/** The tfjs-backend-wasm peer, or { error } when that backend cannot train the model. */
async function tfjsWasmStepper(model) {
  if (!(await tf.setBackend('wasm'))) return { error: 'the wasm backend failed to initialise' };
  await tf.ready();
  const peer = buildTfjs(tf, model);
  try {
    peer.step();
  } catch (error) {
    peer.dispose();
    return { error: String(error.message ?? error).split('\n')[0] };
  }
  return peer;
}

const current = await loadTsflow(undefined);
const baseline = BASELINE ? await loadTsflow(BASELINE) : undefined;
const fmt = (rate) => rate.toFixed(1).padStart(8);
const row = (label, rate, versus = '') => console.log(`  ${label.padEnd(28)} ${fmt(rate)}${versus}`);
console.log(
  `node ${process.version}, tfjs ${tf.version_core}; ${ROUNDS} rounds of ~${ROUND_SECONDS}s per system, medians (steps/s)`,
);
for (const model of ['mlp', 'cnn']) {
  if (ONLY && ONLY !== model) continue;
  console.log(
    `\n${model === 'mlp' ? 'MLP 784-128-10 ReLU, batch 128, Adam' : 'CNN 28x28x1 batch 64, conv32-pool-conv64-pool-dense10, Adam'}`,
  );
  const systems = [{ label: 'tsflow (defaults)', stepper: await tsflowStepper(current, model, {}), rates: [] }];
  if (baseline)
    systems.push({ label: 'tsflow baseline build', stepper: await tsflowStepper(baseline, model, {}), rates: [] });
  const peer = await tfjsWasmStepper(model);
  if (peer.error)
    console.log(
      `  tfjs-backend-wasm cannot train it: ${peer.error} (tfjs-backend-cpu would need minutes per step here)`,
    );
  else systems.push({ label: 'tfjs-backend-wasm', stepper: peer, rates: [] });
  for (let r = 0; r < ROUNDS; r++) for (const system of systems) system.rates.push(await stepRate(system.stepper.step));
  for (const { stepper } of systems) (stepper.close ?? stepper.dispose)();
  const ours = median(systems[0].rates);
  for (const { label, rates } of systems) {
    const rate = median(rates);
    row(label, rate, rate === ours ? '' : `   defaults = ${(ours / rate).toFixed(2)}x this`);
  }
  if (QUICK) continue;
  // tsflow variants, each in its own process (the switches are read once per process).
  const variants = [
    ['tsflow threads=1', { threads: 1 }, {}],
    ['tsflow threads=2', { threads: 2 }, {}],
    ['tsflow fusion off', { fusion: false }, {}],
    ['tsflow WASM kernels off', {}, { TSFLOW_WASM: '0', TSFLOW_WASM_GEMM: '0' }],
  ];
  for (const [label, sessionOptions, env] of variants) {
    const rate = median(runChild({ kind: 'rates', model, sessionOptions, rounds: ROUNDS }, env).rates);
    row(label, rate, `   ${(rate / ours).toFixed(2)}x defaults (not interleaved)`);
  }
  const counts = [['tsflow', undefined]];
  if (baseline) counts.push(['baseline build', BASELINE]);
  for (const [label, root] of counts) {
    const { perTrainStep, perLossStep } = runChild({ kind: 'allocations', model, root, sessionOptions: {} });
    console.log(
      `  new ArrayBuffers per step, steady state (${label}): run(train) ${perTrainStep}, run([loss, train]) ${perLossStep}`,
    );
  }
}
