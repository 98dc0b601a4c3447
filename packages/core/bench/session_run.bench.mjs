// Session.run's fixed cost: a 3-op scalar graph (placeholder -> mul -> add, fetch the sum) run
// over and over, against a peer in the same run: the same two scalar ops called as kernels
// directly (what any executor must at least pay), so the ratio shows the session's own cost.
// With --baseline DIR (another build of the repo, e.g. an older commit, holding
// packages/core/dist), that build's Session.run joins the interleaved rounds.
// Usage (after a build): node bench/session_run.bench.mjs [rounds] [--baseline DIR]
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Graph, Session, add, getKernel, mul, ndarray, placeholder } from '../dist/index.js';
import { median } from './bench_support.mjs';

const args = process.argv.slice(2);
const baselineAt = args.indexOf('--baseline');
const BASELINE = baselineAt >= 0 ? args[baselineAt + 1] : undefined;
const ROUNDS = Number(args[0]) > 0 ? Number(args[0]) : 7;
const RUNS = 50_000;

/** The 3-op graph in one build of core; run() times RUNS Session.runs (µs per run). */
function scalarGraph(lib) {
  const g = new lib.Graph();
  const { x, y } = g.asDefault(() => {
    const x = lib.placeholder('float32', [], { name: 'x' });
    return { x, y: lib.add(lib.mul(x, 2), 1) };
  });
  const session = new lib.Session(g);
  const feeds = new Map([[x, lib.ndarray(3)]]);
  return {
    x,
    y,
    feeds,
    session,
    async run() {
      const start = process.hrtime.bigint();
      for (let i = 0; i < RUNS; i++) await session.run(y, feeds);
      return Number(process.hrtime.bigint() - start) / 1e3 / RUNS;
    },
  };
}

const current = scalarGraph({ Graph, Session, add, mul, ndarray, placeholder });
const baseline = BASELINE
  ? scalarGraph(await import(pathToFileURL(join(BASELINE, 'packages', 'core', 'dist', 'index.js')).href))
  : undefined;
const { x, y, feeds, session } = current;

// Peer: the two kernels of the graph, called directly on the same inputs.
const mulKernel = getKernel('Mul', 'cpu').kernel;
const addKernel = getKernel('Add', 'cpu').kernel;
const mulOp = y.op.inputs[0].op;
const two = mulOp.inputs[1].op.attrs.value;
const one = y.op.inputs[1].op.attrs.value;
const ctxOf = (op) => ({ op, attrs: op.attrs, state: undefined, device: 'cpu' });
const mulCtx = ctxOf(mulOp);
const addCtx = ctxOf(y.op);
async function kernelsRound() {
  const start = process.hrtime.bigint();
  const value = feeds.get(x);
  for (let i = 0; i < RUNS; i++) await addKernel([mulKernel([value, two], mulCtx), one], addCtx);
  return Number(process.hrtime.bigint() - start) / 1e3 / RUNS;
}

const sessionTimes = [];
const kernelTimes = [];
const baselineTimes = [];
await current.run();
await kernelsRound();
await baseline?.run();
for (let r = 0; r < ROUNDS; r++) {
  sessionTimes.push(await current.run());
  kernelTimes.push(await kernelsRound());
  if (baseline) baselineTimes.push(await baseline.run());
}
const perRun = median(sessionTimes);
const kernels = median(kernelTimes);
console.log(
  `Session.run of a 3-op scalar graph: ${perRun.toFixed(2)} µs/run (${Math.round(1e6 / perRun).toLocaleString('en-US')} runs/s), median of ${ROUNDS} x ${RUNS} runs`,
);
console.log(
  `peer, the 2 kernels called directly: ${kernels.toFixed(2)} µs; session overhead = ${(perRun - kernels).toFixed(2)} µs (${(perRun / kernels).toFixed(1)}x the bare kernels)`,
);
if (baseline) {
  const before = median(baselineTimes);
  console.log(
    `baseline build (${BASELINE}): ${before.toFixed(2)} µs/run; this build = ${(before / perRun).toFixed(2)}x its speed`,
  );
  baseline.session.close();
}
session.close();
