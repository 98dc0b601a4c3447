// Session.run's fixed cost: a 3-op scalar graph (placeholder -> mul -> add, fetch the sum) run
// over and over, against a peer in the same run: the same two scalar ops called as kernels
// directly (what any executor must at least pay), so the ratio shows the session's own cost.
// Usage (after a build): node bench/session_run.bench.mjs [rounds]
import { Graph, Session, add, getKernel, mul, ndarray, placeholder } from '../dist/index.js';
import { median } from './bench_support.mjs';

const ROUNDS = Number(process.argv[2]) > 0 ? Number(process.argv[2]) : 7;
const RUNS = 50_000;

const g = new Graph();
const { x, y } = g.asDefault(() => {
  const x = placeholder('float32', [], { name: 'x' });
  return { x, y: add(mul(x, 2), 1) };
});
const session = new Session(g);
const feeds = new Map([[x, ndarray(3)]]);

async function sessionRound() {
  const start = process.hrtime.bigint();
  for (let i = 0; i < RUNS; i++) await session.run(y, feeds);
  return Number(process.hrtime.bigint() - start) / 1e3 / RUNS;
}

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
await sessionRound();
await kernelsRound();
for (let r = 0; r < ROUNDS; r++) {
  sessionTimes.push(await sessionRound());
  kernelTimes.push(await kernelsRound());
}
const perRun = median(sessionTimes);
const kernels = median(kernelTimes);
console.log(`Session.run of a 3-op scalar graph: ${perRun.toFixed(2)} µs/run (${Math.round(1e6 / perRun).toLocaleString('en-US')} runs/s), median of ${ROUNDS} x ${RUNS} runs`);
console.log(`peer, the 2 kernels called directly: ${kernels.toFixed(2)} µs; session overhead = ${(perRun - kernels).toFixed(2)} µs (${(perRun / kernels).toFixed(1)}x the bare kernels)`);
session.close();
