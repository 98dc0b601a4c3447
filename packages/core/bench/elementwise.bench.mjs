// Elementwise cpu kernels (broadcasting binary, comparison, unary) vs two peers measured in the
// same run: a generic per-element implementation (index unravelling + a callback per element,
// what a straightforward port would do) and, for same-shape inputs, a hand-written tight loop
// (the ceiling). Runs against dist:
//   npx tsc -p tsconfig.json && node bench/elementwise.bench.mjs [repeats]
// Reports medians over repeats and ratios; absolute times depend on the machine.
import { broadcastShapes, getKernel } from '../dist/index.js';
import { median, randomArray } from './bench_support.mjs';

const REPEATS = Number(process.argv[2]) > 0 ? Number(process.argv[2]) : 15;

// Peer 1: unravel every output index and call `f` per element.
function genericBroadcast(a, b, f) {
  const outShape = broadcastShapes(a.shape, b.shape);
  const size = outShape.reduce((x, y) => x * y, 1);
  const out = new Float32Array(size);
  const offsetIn = (shape, index) => {
    let offset = 0;
    let stride = 1;
    for (let axis = shape.length - 1, o = index.length - 1; axis >= 0; axis--, o--) {
      if (shape[axis] !== 1) offset += index[o] * stride;
      stride *= shape[axis];
    }
    return offset;
  };
  const index = new Array(outShape.length).fill(0);
  for (let i = 0; i < size; i++) {
    let rest = i;
    for (let axis = outShape.length - 1; axis >= 0; axis--) {
      index[axis] = rest % outShape[axis];
      rest = Math.floor(rest / outShape[axis]);
    }
    out[i] = f(a.data[offsetIn(a.shape, index)], b.data[offsetIn(b.shape, index)]);
  }
  return out;
}

function genericUnary(x, f) {
  const out = new Float32Array(x.size);
  for (let i = 0; i < x.size; i++) out[i] = f(x.data[i]);
  return out;
}

// Peer 2 (same-shape only): the loop one would write by hand for this exact op.
function tightAdd(a, b) {
  const out = new Float32Array(a.size);
  const ad = a.data;
  const bd = b.data;
  for (let i = 0; i < out.length; i++) out[i] = ad[i] + bd[i];
  return out;
}

function timeIt(fn) {
  fn();
  fn();
  const times = [];
  for (let r = 0; r < REPEATS; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(times);
}

function runKernel(opType, inputs) {
  const ctx = { op: { name: opType, type: opType }, attrs: {}, state: undefined, device: 'cpu' };
  return getKernel(opType, 'cpu').kernel(inputs, ctx);
}

const CASES = [
  ['Add', 'same shape', [1_000_000], [1_000_000], (x, y) => x + y],
  ['Mul', 'scalar', [1_000_000], [], (x, y) => x * y],
  ['Add', 'bias [n,d]+[d]', [10_000, 100], [100], (x, y) => x + y],
  ['Add', 'narrow [n,2]+[2]', [500_000, 2], [2], (x, y) => x + y],
  ['Sub', 'outer [n,1]-[1,n]', [1000, 1], [1, 1000], (x, y) => x - y],
  ['Maximum', '[2,1,3]-style', [100, 1, 100], [100, 1], Math.max],
  ['Greater', 'same shape', [1_000_000], [1_000_000], (x, y) => (x > y ? 1 : 0)],
];

console.log(`elementwise cpu kernels, median of ${REPEATS} runs (ms); ratio = peer time / kernel time`);
console.log('op        case                 kernel_ms  generic_ms  vs_generic  tight_ms  vs_tight');
for (const [opType, label, aShape, bShape, f] of CASES) {
  const a = randomArray(aShape, 1);
  const b = randomArray(bShape, 2);
  const kernel = timeIt(() => runKernel(opType, [a, b]));
  const generic = timeIt(() => genericBroadcast(a, b, f));
  let tightCols = '       -         -';
  if (opType === 'Add' && label === 'same shape') {
    const tight = timeIt(() => tightAdd(a, b));
    tightCols = `${tight.toFixed(2).padStart(8)}  ${(tight / kernel).toFixed(2).padStart(8)}`;
  }
  console.log(
    `${opType.padEnd(9)} ${label.padEnd(20)} ${kernel.toFixed(2).padStart(9)}  ${generic.toFixed(2).padStart(10)}  ${(generic / kernel).toFixed(1).padStart(10)}  ${tightCols}`,
  );
}
for (const [opType, f] of [
  ['Sigmoid', (v) => 1 / (1 + Math.exp(-v))],
  ['Relu', (v) => (v < 0 ? 0 : v)],
]) {
  const x = randomArray([1_000_000], 3);
  const kernel = timeIt(() => runKernel(opType, [x]));
  const generic = timeIt(() => genericUnary(x, f));
  console.log(
    `${opType.padEnd(9)} ${'unary [1e6]'.padEnd(20)} ${kernel.toFixed(2).padStart(9)}  ${generic.toFixed(2).padStart(10)}  ${(generic / kernel).toFixed(1).padStart(10)}         -         -`,
  );
}
