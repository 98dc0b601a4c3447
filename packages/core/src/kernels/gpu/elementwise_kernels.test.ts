import { describe, expect, it } from 'vitest';
import { constant } from '../../ops/constant.js';
import { add, div, maximum, mul, pow, sub } from '../../ops/binary_ops.js';
import { cast } from '../../ops/cast.js';
import { equal, greater, lessEqual } from '../../ops/comparison_ops.js';
import { abs, exp, log, neg, sqrt } from '../../ops/unary_ops.js';
import { relu, sigmoid, tanh } from '../../ops/activations.js';
import { where } from '../../ops/where.js';
import { ndarray, type NDArray } from '../../ndarray/ndarray.js';
import type { Tensor } from '../../graph/tensor.js';
import { evaluate1, expectClose } from '../../test_support/devices.js';

/** Deterministic values in [-3, 3) with a few exact zeros and repeats. */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = i % 7 === 0 ? 0 : ((s >>> 8) / 2 ** 24) * 6 - 3;
  }
  return out;
}

function tensor(shape: number[], seed: number): NDArray {
  return ndarray(
    values(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    { shape },
  );
}

async function onBoth(build: () => Tensor): Promise<[NDArray, NDArray]> {
  return [await evaluate1('cpu', build), await evaluate1('gpu', build)];
}

describe('elementwise gpu.js kernels match their cpu reference', () => {
  const unary = { neg, abs, exp, log, sqrt, relu, sigmoid, tanh };
  it.each(Object.entries(unary))('%s', async (_name, fn) => {
    const x = tensor([5, 7], 1);
    const [c, g] = await onBoth(() => fn(constant(x)));
    expect(g.shape).toEqual(c.shape);
    expectClose(g.data, c.data, { rtol: 1e-5, atol: 1e-6 });
  });

  const binary = { add, sub, mul, div, pow, maximum };
  const shapePairs: [number[], number[]][] = [
    [
      [4, 3],
      [4, 3],
    ],
    [
      [2, 1, 3],
      [4, 1],
    ],
    [[3], [2, 3]],
    [[], [2, 2]],
    [
      [2, 3, 1, 4],
      [3, 5, 1],
    ],
  ];
  for (const [name, fn] of Object.entries(binary)) {
    it.each(shapePairs)(`${name} broadcasts %j with %j`, async (sa, sb) => {
      const a = tensor(sa, 2);
      const b =
        name === 'pow'
          ? ndarray(
              Float32Array.from(tensor(sb, 3).data, (v) => Math.round(v)),
              { shape: sb },
            )
          : tensor(sb, 3);
      const [c, g] = await onBoth(() => fn(constant(a), constant(b)));
      expect(g.shape).toEqual(c.shape);
      expectClose(g.data, c.data, { rtol: 1e-5, atol: 1e-6 });
    });
  }

  it('comparisons give bool arrays equal to cpu', async () => {
    const a = tensor([3, 4], 4);
    const b = ndarray(
      a.data.map((v, i) => (i % 2 === 0 ? v : v + 1)),
      { shape: [3, 4] },
    );
    for (const fn of [equal, greater, lessEqual]) {
      const [c, g] = await onBoth(() => fn(constant(a), constant(b)));
      expect(g.dtype).toBe('bool');
      expect(Array.from(g.data)).toEqual(Array.from(c.data));
    }
  });

  it('where selects with broadcasting', async () => {
    const cond = ndarray([[true, false, true]]);
    const [c, g] = await onBoth(() => where(constant(cond), constant(tensor([2, 3], 5)), constant(tensor([2, 1], 6))));
    expect(Array.from(g.data)).toEqual(Array.from(c.data));
  });

  it('cast truncates toward zero and maps non-zero to true', async () => {
    const x = ndarray([-2.7, -0.5, 0, 0.5, 2.7, NaN]);
    for (const dtype of ['int32', 'bool'] as const) {
      const [c, g] = await onBoth(() => cast(constant(x), dtype));
      expect(g.dtype).toBe(dtype);
      expect(Array.from(g.data)).toEqual(Array.from(c.data));
    }
  });

  it('int32 maximum stays int32 and exact', async () => {
    const a = ndarray([1, -5, 16777216], { dtype: 'int32' });
    const b = ndarray([3, -7, 16777215], { dtype: 'int32' });
    const [c, g] = await onBoth(() => maximum(constant(a), constant(b)));
    expect(g.dtype).toBe('int32');
    expect(Array.from(g.data)).toEqual(Array.from(c.data));
  });
});
