import { describe, expect, it } from 'vitest';
import { Graph } from '../graph/graph.js';
import { ndarray } from '../ndarray/ndarray.js';
import { Session } from '../session/session.js';
import { DEVICES, evaluate1, expectClose } from '../test_support/devices.js';
import { argMax } from './arg_max.js';
import { constant } from './constant.js';
import { placeholder } from './placeholder.js';
import { reduceMax, reduceMean, reduceMin, reduceSum } from './reduction_ops.js';

// x[i,j,k] = i*100 + j*10 + k - 50 for shape [2,3,4]: every reduction has a hand-checkable answer.
const X = Array.from({ length: 2 }, (_, i) =>
  Array.from({ length: 3 }, (_, j) => Array.from({ length: 4 }, (_, k) => i * 100 + j * 10 + k - 50)),
);

/** float64 reference reduction over `axes` of a [2,3,4] nested array, keepDims=false. */
function reference(fn: (values: number[]) => number, axes: number[]): number[] {
  const groups = new Map<string, number[]>();
  for (const [i, plane] of X.entries()) {
    for (const [j, row] of plane.entries()) {
      for (const [k, v] of row.entries()) {
        const key = [i, j, k].filter((_, d) => !axes.includes(d)).join(',');
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key)!.push(v);
      }
    }
  }
  return [...groups.values()].map(fn);
}
const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
const mean = (v: number[]) => sum(v) / v.length;

describe.each(DEVICES)('reductions on %s', (device) => {
  it.each([[[0]], [[1]], [[2]], [[0, 1]], [[0, 2]], [[1, 2]], [[0, 1, 2]]])(
    'reduce over axes %j matches a float64 reference',
    async (axes) => {
      const [s, m, hi, lo] = await Promise.all([
        evaluate1(device, () => reduceSum(X, axes)),
        evaluate1(device, () => reduceMean(X, axes)),
        evaluate1(device, () => reduceMax(X, axes)),
        evaluate1(device, () => reduceMin(X, axes)),
      ]);
      expect(s.shape).toEqual([2, 3, 4].filter((_, d) => !axes.includes(d)));
      expectClose(s.data, reference(sum, axes));
      expectClose(m.data, reference(mean, axes));
      expectClose(
        hi.data,
        reference((v) => Math.max(...v), axes),
      );
      expectClose(
        lo.data,
        reference((v) => Math.min(...v), axes),
      );
    },
  );

  it('reduces everything when axis is omitted, and keeps dims when asked', async () => {
    const all = await evaluate1(device, () => reduceSum(X));
    expect(all.shape).toEqual([]);
    expect(all.item()).toBe(sum(X.flat(2)));
    const kept = await evaluate1(device, () => reduceMean(X, undefined, true));
    expect(kept.shape).toEqual([1, 1, 1]);
    const keptAxis = await evaluate1(device, () => reduceMax(X, [-1, 0], true));
    expect(keptAxis.shape).toEqual([1, 3, 1]);
    expect(Array.from(keptAxis.data)).toEqual([53, 63, 73]);
  });

  it('takes negative axes', async () => {
    const r = await evaluate1(device, () =>
      reduceSum(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        -1,
      ),
    );
    expect(r.toArray()).toEqual([6, 15]);
  });

  it('reduces a rank-0 tensor over no axes to itself', async () => {
    const r = await evaluate1(device, () => reduceSum(7));
    expect(r.shape).toEqual([]);
    expect(r.item()).toBe(7);
  });

  it('gives TF values for empty reductions: sum 0, mean NaN, max -Infinity, min +Infinity', async () => {
    const empty = () => ndarray(new Float32Array(0), { shape: [2, 0] });
    expect(Array.from((await evaluate1(device, () => reduceSum(empty(), 1))).data)).toEqual([0, 0]);
    expect(Array.from((await evaluate1(device, () => reduceMean(empty(), 1))).data)).toEqual([NaN, NaN]);
    expect(Array.from((await evaluate1(device, () => reduceMax(empty(), 1))).data)).toEqual([-Infinity, -Infinity]);
    expect(Array.from((await evaluate1(device, () => reduceMin(empty(), 1))).data)).toEqual([Infinity, Infinity]);
    expect((await evaluate1(device, () => reduceSum(empty(), 0))).shape).toEqual([0]);
  });

  it('keeps int32 (mean truncates toward zero like TF)', async () => {
    const x = () =>
      constant(
        [
          [1, 2],
          [4, -7],
        ],
        { dtype: 'int32' },
      );
    const s = await evaluate1(device, () => reduceSum(x(), 0));
    expect(s.dtype).toBe('int32');
    expect(s.toArray()).toEqual([5, -5]);
    expect((await evaluate1(device, () => reduceMean(x(), 1))).toArray()).toEqual([1, -1]);
    expect((await evaluate1(device, () => reduceMin(x()))).item()).toBe(-7);
  });

  it('accumulates a long float32 sum without drift', async () => {
    const n = 1 << 20;
    const r = await evaluate1(device, () => reduceSum(ndarray(new Float32Array(n).fill(0.1), { shape: [n] })));
    expectClose([r.item()], [n * Math.fround(0.1)], { rtol: 1e-6 });
  });

  it('runs with an unknown-rank input and negative axes resolved at run time', async () => {
    const g = new Graph();
    const y = g.asDefault(() => reduceSum(placeholder('float32', null, { name: 'x' }), [-1], true));
    expect(y.shape).toBeNull();
    const s = new Session(g, { device });
    expect(
      (
        await s.run(y, {
          x: [
            [1, 2],
            [3, 4],
          ],
        })
      ).toArray(),
    ).toEqual([[3], [7]]);
    await expect(s.run(y, { x: 5 })).rejects.toThrow(/Invalid reduction dimension -1 for input with 0 dimensions/);
    s.close();
  });
});

describe.each(DEVICES)('argMax on %s', (device) => {
  it('returns int32 indices along an axis, first index on ties', async () => {
    const r = await evaluate1(device, () =>
      argMax(
        [
          [1, 9, 3],
          [7, 2, 7],
        ],
        1,
      ),
    );
    expect(r.dtype).toBe('int32');
    expect(r.toArray()).toEqual([1, 0]);
    expect(
      (
        await evaluate1(device, () =>
          argMax(
            [
              [1, 9, 3],
              [7, 2, 7],
            ],
            0,
          ),
        )
      ).toArray(),
    ).toEqual([1, 0, 1]);
    expect(
      (
        await evaluate1(device, () =>
          argMax(
            [
              [1, 9, 3],
              [7, 2, 7],
            ],
            -1,
          ),
        )
      ).toArray(),
    ).toEqual([1, 0]);
  });

  it('handles rank 3 middle axes and -Infinity entries', async () => {
    const r = await evaluate1(device, () => argMax(X, 1));
    expect(r.toArray()).toEqual([
      [2, 2, 2, 2],
      [2, 2, 2, 2],
    ]);
    expect((await evaluate1(device, () => argMax([-Infinity, -Infinity, -5], 0))).item()).toBe(2);
  });

  it('fails at run time on an empty axis, naming it', async () => {
    await expect(evaluate1(device, () => argMax(ndarray(new Float32Array(0), { shape: [2, 0] }), 1))).rejects.toThrow(
      /Reduction axis 1 is empty in shape \[2,0\]/,
    );
  });
});

describe('reduction shape inference and errors', () => {
  it('infers shapes with unknown dims and rank', () => {
    new Graph().asDefault(() => {
      expect(reduceSum(placeholder('float32', [null, 3]), 1).shape).toEqual([null]);
      expect(reduceSum(placeholder('float32', [null, 3]), 0, true).shape).toEqual([1, 3]);
      expect(reduceMean(placeholder('float32', null)).shape).toEqual([]);
      expect(reduceMean(placeholder('float32', null), 0).shape).toBeNull();
      expect(argMax(placeholder('float32', [null, 10]), 1).shape).toEqual([null]);
    });
  });

  it('rejects out-of-range and duplicate axes, bool inputs, and bad axis values', () => {
    new Graph().asDefault(() => {
      const x = placeholder('float32', [2, 3]);
      expect(() => reduceSum(x, 2)).toThrow(
        /^Invalid reduction dimension 2 for input with 2 dimensions for 'Sum' \(op: 'Sum'\) with input shapes: \[2,3\]\.$/,
      );
      expect(() => reduceMax(x, [1, -1])).toThrow(/^Axes contains duplicate dimension: 1 for 'Max' \(op: 'Max'\)/);
      expect(() => reduceSum(placeholder('bool', [2]))).toThrow(/'Sum' \(op: 'Sum'\) has dtype bool/);
      expect(() => reduceMin(x, 0.5)).toThrow(/Min: axis must be an integer or a list of integers, got 0.5/);
      expect(() => reduceSum(x, 0, 1 as never)).toThrow(/^Sum: keepDims must be a boolean, got 1$/);
      expect(() => argMax(x, 2)).toThrow(/Expected dimension in the range \[-2, 2\), but got 2 for 'ArgMax'/);
    });
  });
});
