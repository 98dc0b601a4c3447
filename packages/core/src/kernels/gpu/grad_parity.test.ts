import { describe, expect, it } from 'vitest';
import { Graph } from '../../graph/graph.js';
import type { Tensor } from '../../graph/tensor.js';
import { gradients } from '../../gradients/gradients.js';
import { ndarray, type NDArray } from '../../ndarray/ndarray.js';
import { mul } from '../../ops/binary_ops.js';
import { concat } from '../../ops/concat.js';
import { constant } from '../../ops/constant.js';
import { conv2d } from '../../ops/conv2d.js';
import { sparseSoftmaxCrossEntropyWithLogits } from '../../ops/cross_entropy.js';
import { gather } from '../../ops/gather.js';
import { maxPool } from '../../ops/max_pool.js';
import { reduceMax, reduceMean, reduceSum } from '../../ops/reduction_ops.js';
import { tile } from '../../ops/shape_ops.js';
import { reshape } from '../../ops/reshape.js';
import { logSoftmax, softmax } from '../../ops/softmax.js';
import { Session } from '../../session/session.js';
import { expectClose } from '../../test_support/devices.js';

/** Deterministic values in [-2, 2), distinct enough that maxima are unique. */
function values(shape: number[], seed: number): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = ((s >>> 8) / 2 ** 24) * 4 - 2;
  }
  return ndarray(out, { shape });
}

/**
 * Builds `loss = Σ f(xs) * w` (w random, so every output element gets a distinct upstream
 * gradient), differentiates it and compares the gpu session's gradients with the cpu ones.
 */
async function expectGradientParity(inputs: NDArray[], f: (xs: Tensor[]) => Tensor, rtol = 1e-4): Promise<void> {
  const graph = new Graph();
  const grads = graph.asDefault(() => {
    const xs = inputs.map((x) => constant(x));
    const y = f(xs);
    const w = constant(values(y.shape as number[], 99));
    return gradients(reduceSum(mul(y, w)), xs) as Tensor[];
  });
  const run = async (device: 'cpu' | 'gpu'): Promise<NDArray[]> => {
    using sess = new Session(graph, { device, warnOnFallback: false });
    const result = await sess.run(grads);
    expect(sess.deviceInfo().fallbacks).toEqual([]);
    return result;
  };
  const cpu = await run('cpu');
  const gpu = await run('gpu');
  for (let i = 0; i < cpu.length; i++) {
    expect(gpu[i]!.shape).toEqual(cpu[i]!.shape);
    expectClose(gpu[i]!.data, cpu[i]!.data, { rtol, atol: 1e-5 });
  }
}

describe('gpu.js backward kernels match the cpu ones', () => {
  it.each([
    ['VALID', 1],
    ['SAME', 1],
    ['SAME', 2],
    ['VALID', 2],
  ] as const)('conv2d %s stride %d (input and filter gradients)', async (padding, stride) => {
    await expectGradientParity([values([2, 7, 6, 3], 1), values([3, 2, 3, 4], 2)], ([x, f]) =>
      conv2d(x!, f!, stride, padding),
    );
  });

  it.each([
    ['VALID', 2, 2],
    ['SAME', 3, 2],
    ['SAME', 2, 1],
  ] as const)('maxPool %s ksize %d stride %d', async (padding, k, stride) => {
    await expectGradientParity([values([2, 6, 5, 3], 3)], ([x]) => maxPool(x!, k, stride, padding));
  });

  it('softmax and logSoftmax over the last and a middle axis', async () => {
    await expectGradientParity([values([3, 4, 5], 4)], ([x]) => softmax(x!));
    await expectGradientParity([values([3, 4, 5], 5)], ([x]) => softmax(x!, 1));
    await expectGradientParity([values([3, 4, 5], 6)], ([x]) => logSoftmax(x!, 1));
  });

  it('reductions: sum, mean and max over several axes', async () => {
    await expectGradientParity([values([3, 4, 5], 7)], ([x]) => reduceSum(x!, [0, 2], true));
    await expectGradientParity([values([3, 4, 5], 8)], ([x]) => reduceMean(x!, 1));
    await expectGradientParity([values([3, 4, 5], 9)], ([x]) => reduceMax(x!, [2]));
  });

  it('gather (repeated indices), concat and tile', async () => {
    const indices = ndarray([2, 0, 2, 3], { dtype: 'int32' });
    await expectGradientParity([values([5, 3], 10)], ([x]) => gather(x!, indices));
    await expectGradientParity([values([2, 3], 11), values([2, 2], 12)], ([a, b]) => concat([a!, b!], 1));
    await expectGradientParity([values([2, 3], 13)], ([x]) => tile(x!, [2, 3]));
  });

  it('second order: the gradients of maxPool and conv2d gradients (MaxPoolGradGrad, conv backward grads)', async () => {
    await expectGradientParity([values([1, 6, 5, 2], 15)], ([x]) => {
      const y = maxPool(x!, 3, 2, 'SAME');
      return gradients(reduceSum(mul(y, y)), [x!])[0]!;
    });
    await expectGradientParity([values([1, 5, 5, 2], 16), values([2, 2, 2, 3], 17)], ([x, f]) => {
      const y = conv2d(x!, f!, 2, 'SAME');
      const [dx, df] = gradients(reduceSum(mul(y, y)), [x!, f!]) as [Tensor, Tensor];
      return concat([reshape(dx, [-1]), reshape(df, [-1])], 0);
    });
  });

  it('sparse softmax cross-entropy', async () => {
    const labels = ndarray([1, 0, 3], { dtype: 'int32' });
    await expectGradientParity([values([3, 4], 14)], ([x]) =>
      sparseSoftmaxCrossEntropyWithLogits({ labels, logits: x! }),
    );
  });
});
