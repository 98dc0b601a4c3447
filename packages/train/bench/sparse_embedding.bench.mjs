// One Momentum training step on an embedding table: TF1's sparse update of the looked-up rows
// (the optimizer's path for a gather gradient) vs the dense update of the whole table (the
// gradient densified into a [rows, dim] array, then ApplyMomentum over every element).
// Usage: node bench/sparse_embedding.bench.mjs [rows=1000000] [dim=64] [lookups=256] [repeats=5]
// Reports the median wall time per step of each variant and their ratio, measured in one run
// (the sparse step, ~1000x shorter, is repeated 10x as often after 3 warm-up steps).
import {
  Graph,
  Session,
  Variable,
  applyMomentum,
  gather,
  gradients,
  ndarray,
  placeholder,
  reduceSum,
  square,
} from '@tsflow/core';
import { MomentumOptimizer } from '@tsflow/train';

const rows = Number(process.argv[2] ?? 1_000_000);
const dim = Number(process.argv[3] ?? 64);
const lookups = Number(process.argv[4] ?? 256);
const repeats = Number(process.argv[5] ?? 5);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function build(variant) {
  const graph = new Graph();
  return graph.asDefault(() => {
    const table = new Float32Array(rows * dim);
    for (let i = 0; i < table.length; i++) table[i] = ((i * 2654435761) % 1000) / 1e4;
    const W = new Variable(ndarray(table, { shape: [rows, dim] }), { name: 'embeddings' });
    const ids = placeholder('int32', [lookups], { name: 'ids' });
    const loss = reduceSum(square(gather(W, ids)));
    let step;
    if (variant === 'sparse') {
      step = new MomentumOptimizer(0.05, 0.9).minimize(loss);
    } else {
      const accum = new Variable(ndarray(new Float32Array(rows * dim), { shape: [rows, dim] }), {
        name: 'embeddings/Momentum',
        trainable: false,
      });
      const [dW] = gradients(loss, [W]);
      step = applyMomentum(W, accum, 0.05, dW, 0.9).op;
    }
    return { graph, step, ids };
  });
}

async function measure(variant, steps) {
  const { graph, step, ids } = build(variant);
  const session = new Session(graph);
  await session.run(graph.getCollection('variables').map((v) => v.initializer));
  let seed = 12345;
  const nextIds = () => Int32Array.from({ length: lookups }, () => (seed = (seed * 1103515245 + 12345) >>> 0) % rows);
  for (let i = 0; i < 3; i++) await session.run(step, new Map([[ids, nextIds()]]));
  const times = [];
  for (let i = 0; i < steps; i++) {
    const feeds = new Map([[ids, nextIds()]]);
    const start = performance.now();
    await session.run(step, feeds);
    times.push(performance.now() - start);
  }
  session.close();
  return median(times);
}

console.log(
  `Momentum step on a ${rows} x ${dim} embedding, ${lookups} looked-up rows, median of ${repeats * 10} sparse / ${repeats} dense steps (node ${process.version})`,
);
const sparse = await measure('sparse', repeats * 10);
const dense = await measure('dense', repeats);
console.log(
  `sparse ${sparse.toFixed(3).padStart(10)} ms   dense ${dense.toFixed(1).padStart(8)} ms   dense/sparse = ${(dense / sparse).toFixed(0)}x`,
);
