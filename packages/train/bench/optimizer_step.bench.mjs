// Fused optimizer kernels vs the same update built from small elementwise ops, in one run.
// Usage: node bench/optimizer_step.bench.mjs [size=1000000] [repeats=15]
// Reports the median wall time per training step of each variant and their ratio.
import {
  Graph,
  Session,
  Variable,
  add,
  applyAdam,
  applyGradientDescent,
  div,
  group,
  mul,
  ndarray,
  placeholder,
  sqrt,
  sub,
} from '@tsflow/core';

const size = Number(process.argv[2] ?? 1_000_000);
const repeats = Number(process.argv[3] ?? 15);
const lr = 0.001;
const beta1 = 0.9;
const beta2 = 0.999;
const epsilon = 1e-8;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Builds a graph whose `step` op updates one variable of `size` floats with the fed gradient. */
function build(variant) {
  const graph = new Graph();
  return graph.asDefault(() => {
    const zeros = () => ndarray(new Float32Array(size), { shape: [size] });
    const w = new Variable(ndarray(new Float32Array(size).fill(1), { shape: [size] }), { name: 'w' });
    const grad = placeholder('float32', [size], { name: 'grad' });
    let step;
    if (variant === 'sgd-fused') step = applyGradientDescent(w, lr, grad).op;
    else if (variant === 'sgd-composed') step = w.assignSub(mul(grad, lr)).op;
    else {
      const m = new Variable(zeros(), { name: 'w/Adam', trainable: false });
      const v = new Variable(zeros(), { name: 'w/Adam_1', trainable: false });
      // Step 1 powers: the update arithmetic per element is the same for every step.
      if (variant === 'adam-fused') step = applyAdam(w, m, v, beta1, beta2, lr, beta1, beta2, epsilon, grad).op;
      else {
        const lrT = (lr * Math.sqrt(1 - beta2)) / (1 - beta1);
        const mNew = add(m, mul(sub(grad, m), 1 - beta1));
        const vNew = add(v, mul(sub(mul(grad, grad), v), 1 - beta2));
        const wNew = sub(w, div(mul(mNew, lrT), add(sqrt(vNew), epsilon)));
        step = group([m.assign(mNew), v.assign(vNew), w.assign(wNew)]);
      }
    }
    return { graph, step, grad, vars: graph.getCollection('variables') };
  });
}

async function measure(variant, gradValue) {
  const { graph, step, grad, vars } = build(variant);
  const session = new Session(graph);
  await session.run(vars.map((v) => v.initializer));
  const feeds = new Map([[grad, gradValue]]);
  for (let i = 0; i < 3; i++) await session.run(step, feeds);
  const times = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await session.run(step, feeds);
    times.push(performance.now() - start);
  }
  session.close();
  return median(times);
}

const gradValue = ndarray(
  Float32Array.from({ length: size }, (_, i) => Math.sin(i) * 0.01),
  { shape: [size] },
);
console.log(`optimizer step on one variable of ${size} floats, median of ${repeats} runs (node ${process.version})`);
for (const [fused, composed] of [
  ['sgd-fused', 'sgd-composed'],
  ['adam-fused', 'adam-composed'],
]) {
  const a = await measure(fused, gradValue);
  const b = await measure(composed, gradValue);
  console.log(
    `${fused.padEnd(12)} ${a.toFixed(2).padStart(8)} ms   ${composed.padEnd(14)} ${b.toFixed(2).padStart(8)} ms   composed/fused = ${(b / a).toFixed(2)}x`,
  );
}
