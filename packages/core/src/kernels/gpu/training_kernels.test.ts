import { describe, expect, it } from 'vitest';
import { Graph } from '../../graph/graph.js';
import type { Tensor } from '../../graph/tensor.js';
import { ndarray, type NDArray } from '../../ndarray/ndarray.js';
import { placeholder } from '../../ops/placeholder.js';
import {
  applyAdagrad,
  applyAdam,
  applyCenteredRMSProp,
  applyGradientDescent,
  applyMomentum,
  applyRMSProp,
} from '../../ops/training_ops.js';
import { Session } from '../../session/session.js';
import { expectClose } from '../../test_support/devices.js';
import { Variable } from '../../variables/variable.js';

type Build = (w: Variable, slots: Variable[], grad: Tensor, step: Tensor) => Tensor;

const W0 = [0.5, -1.5, 2, 0.25, -0.75, 1];
const SLOT0 = [0.1, 0.2, 0.05, 0.3, 0.15, 0.4];

/** Three steps with changing gradients (and a fed 0.9^t, Adam's beta powers); returns every variable and slot. */
async function stepsOn(device: 'cpu' | 'gpu', slotCount: number, build: Build): Promise<NDArray[]> {
  const graph = new Graph();
  const { vars, update, grad, step } = graph.asDefault(() => {
    const w = new Variable(ndarray(W0, { shape: [2, 3] }), { name: 'w' });
    const slots = Array.from(
      { length: slotCount },
      (_, k) =>
        new Variable(
          ndarray(
            SLOT0.map((v) => v * (k + 1)),
            { shape: [2, 3] },
          ),
          { name: `w/slot${k}`, trainable: false },
        ),
    );
    const grad = placeholder('float32', [2, 3], { name: 'grad' });
    const step = placeholder('float32', [], { name: 'step' });
    return { vars: [w, ...slots], update: build(w, slots, grad, step), grad, step };
  });
  using sess = new Session(graph, { device, warnOnFallback: false });
  await sess.run(vars.map((v) => v.initializer));
  for (let t = 1; t <= 3; t++) {
    const g = ndarray(
      W0.map((v, i) => Math.sin(v * t + i)),
      { shape: [2, 3] },
    );
    await sess.run(update, { [grad.name]: g, [step.name]: 0.9 ** t });
  }
  expect(sess.deviceInfo().fallbacks).toEqual([]);
  return (await sess.run(vars)) as NDArray[];
}

const cases: [string, number, Build][] = [
  ['GradientDescent', 0, (w, _s, g) => applyGradientDescent(w, 0.1, g)],
  ['Momentum', 1, (w, [a], g) => applyMomentum(w, a!, 0.1, g, 0.9)],
  ['Momentum (Nesterov)', 1, (w, [a], g) => applyMomentum(w, a!, 0.1, g, 0.9, { useNesterov: true })],
  // beta powers are fed per step: a schedule must reuse one compiled kernel.
  ['Adam', 2, (w, [m, v], g, t) => applyAdam(w, m!, v!, t, t, 0.01, 0.9, 0.999, 1e-7, g)],
  ['RMSProp', 2, (w, [ms, mom], g) => applyRMSProp(w, ms!, mom!, 0.01, 0.9, 0.5, 1e-7, g)],
  ['CenteredRMSProp', 3, (w, [mg, ms, mom], g) => applyCenteredRMSProp(w, mg!, ms!, mom!, 0.01, 0.9, 0.5, 1e-7, g)],
  ['Adagrad', 1, (w, [a], g) => applyAdagrad(w, a!, 0.1, g)],
];

describe('gpu.js optimizer updates match the cpu kernels', () => {
  it.each(cases)('%s', async (_name, slotCount, build) => {
    const cpu = await stepsOn('cpu', slotCount, build);
    const gpu = await stepsOn('gpu', slotCount, build);
    for (let i = 0; i < cpu.length; i++) expectClose(gpu[i]!.data, cpu[i]!.data, { rtol: 1e-5, atol: 1e-6 });
  });
});
