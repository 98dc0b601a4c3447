import { describe, expect, it } from 'vitest';
import { Graph } from '../../graph/graph.js';
import type { Tensor } from '../../graph/tensor.js';
import { gradients } from '../../gradients/gradients.js';
import { ndarray, type NDArray } from '../../ndarray/ndarray.js';
import { relu } from '../../ops/activations.js';
import { biasAdd } from '../../ops/bias_add.js';
import { group } from '../../ops/control_flow.js';
import { sparseSoftmaxCrossEntropyWithLogits } from '../../ops/cross_entropy.js';
import { matMul } from '../../ops/mat_mul.js';
import { placeholder } from '../../ops/placeholder.js';
import { reduceMean } from '../../ops/reduction_ops.js';
import { applyAdam } from '../../ops/training_ops.js';
import { Session } from '../../session/session.js';
import { Variable } from '../../variables/variable.js';

/** Three separable blobs in 4-D, 30 points: enough for the loss to fall visibly in a few steps. */
function dataset(): { x: NDArray; y: NDArray } {
  const x = new Float32Array(30 * 4);
  const y = new Int32Array(30);
  for (let i = 0; i < 30; i++) {
    const label = i % 3;
    y[i] = label;
    for (let d = 0; d < 4; d++) x[i * 4 + d] = (d === label ? 2 : 0) + Math.sin(i * 7 + d * 3) * 0.5;
  }
  return { x: ndarray(x, { shape: [30, 4] }), y: ndarray(y, { shape: [30] }) };
}

function init(shape: number[], seed: number): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  return ndarray(
    Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 13 + i * 1.7) * 0.3),
    { shape },
  );
}

function zerosOf(p: Variable): NDArray {
  const shape = p.shape as number[];
  return ndarray(new Float32Array(shape.reduce((a, b) => a * b, 1)), { shape });
}

/** A 4-8-3 relu MLP trained with Adam; returns the loss of every step. */
async function trainOn(device: 'cpu' | 'gpu', steps: number): Promise<number[]> {
  const graph = new Graph();
  const { x, y, loss, train, vars } = graph.asDefault(() => {
    const x = placeholder('float32', [null, 4], { name: 'x' });
    const y = placeholder('int32', [null], { name: 'y' });
    const w1 = new Variable(init([4, 8], 1), { name: 'w1' });
    const b1 = new Variable(init([8], 2), { name: 'b1' });
    const w2 = new Variable(init([8, 3], 3), { name: 'w2' });
    const b2 = new Variable(init([3], 4), { name: 'b2' });
    const logits = biasAdd(matMul(relu(biasAdd(matMul(x, w1), b1)), w2), b2);
    const loss = reduceMean(sparseSoftmaxCrossEntropyWithLogits({ labels: y, logits }));
    const params = [w1, b1, w2, b2];
    const grads = gradients(loss, params) as Tensor[];
    const slots: Variable[] = [];
    const updates = params.map((p, i) => {
      const m = new Variable(zerosOf(p), { name: `${p.name}/m`, trainable: false });
      const v = new Variable(zerosOf(p), { name: `${p.name}/v`, trainable: false });
      slots.push(m, v);
      return applyAdam(p, m, v, 0.9, 0.999, 0.05, 0.9, 0.999, 1e-7, grads[i]!);
    });
    return { x, y, loss, train: group(updates), vars: [...params, ...slots] };
  });
  const data = dataset();
  using sess = new Session(graph, { device, warnOnFallback: false });
  await sess.run(vars.map((v) => v.initializer));
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const [value] = (await sess.run([loss, train], { [x.name]: data.x, [y.name]: data.y })) as [NDArray, null];
    losses.push(value.item());
  }
  expect(sess.deviceInfo().fallbacks).toEqual([]);
  return losses;
}

describe("training an MLP on device 'gpu'", () => {
  it('follows the cpu loss curve step for step, with every op on gpu.js', async () => {
    const cpu = await trainOn('cpu', 8);
    const gpu = await trainOn('gpu', 8);
    expect(cpu[7]!).toBeLessThan(cpu[0]! * 0.8);
    for (let i = 0; i < cpu.length; i++)
      expect(Math.abs(gpu[i]! - cpu[i]!)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(cpu[i]!)));
  });
});
