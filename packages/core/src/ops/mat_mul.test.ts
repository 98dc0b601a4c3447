import { describe, expect, it } from 'vitest';
import { Graph } from '../graph/graph.js';
import { ndarray } from '../ndarray/ndarray.js';
import { Session } from '../session/session.js';
import { DEVICES, evaluate1, expectClose } from '../test_support/devices.js';
import { constant } from './constant.js';
import { matMul } from './mat_mul.js';
import { placeholder } from './placeholder.js';

/** Deterministic values in [-1, 1) so references are reproducible. */
function values(n: number, seed: number): number[] {
  const out: number[] = [];
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 16807) % 2147483647;
    out.push((s / 2147483647) * 2 - 1);
  }
  return out;
}

/** float64 reference of op(A)·op(B) for one [m,k]x[k,n] product, from flat row-major data. */
function referenceMatMul(
  a: number[],
  b: number[],
  m: number,
  k: number,
  n: number,
  tA: boolean,
  tB: boolean,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[tA ? p * m + i : i * k + p]! * b[tB ? j * k + p : p * n + j]!;
      out.push(s);
    }
  }
  return out;
}

describe.each(DEVICES)('matMul on %s', (device) => {
  it('multiplies 2x3 by 3x2', async () => {
    const r = await evaluate1(device, () =>
      matMul(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        [
          [7, 8],
          [9, 10],
          [11, 12],
        ],
      ),
    );
    expect(r.shape).toEqual([2, 2]);
    expect(r.toArray()).toEqual([
      [58, 64],
      [139, 154],
    ]);
  });

  it.each([
    [false, false, 37, 261, 133],
    [true, false, 37, 261, 133],
    [false, true, 37, 261, 133],
    [true, true, 37, 261, 133],
    [false, false, 6, 300, 530],
    [true, true, 6, 300, 530],
    [false, false, 1, 70, 9],
    [true, false, 3, 70, 9],
    [false, true, 1, 70, 9],
    [true, true, 2, 70, 9],
  ])(
    'matches a float64 reference with transposeA=%s transposeB=%s for [%i,%i]x[%i,·] (packing blocks, edge tiles and the few-rows path)',
    async (tA, tB, m, k, n) => {
      const a = values(m * k, 7);
      const b = values(k * n, 11);
      const r = await evaluate1(device, () =>
        matMul(
          ndarray(new Float32Array(a), { shape: tA ? [k, m] : [m, k] }),
          ndarray(new Float32Array(b), { shape: tB ? [n, k] : [k, n] }),
          {
            transposeA: tA,
            transposeB: tB,
          },
        ),
      );
      expect(r.shape).toEqual([m, n]);
      const a32 = Array.from(new Float32Array(a));
      const b32 = Array.from(new Float32Array(b));
      expectClose(r.data, referenceMatMul(a32, b32, m, k, n, tA, tB), { rtol: 1e-5, atol: 2e-5 });
    },
  );

  it('multiplies batches with equal batch dims', async () => {
    const a = values(2 * 3 * 4 * 5, 3);
    const b = values(2 * 3 * 5 * 2, 5);
    const r = await evaluate1(device, () =>
      matMul(
        ndarray(new Float32Array(a), { shape: [2, 3, 4, 5] }),
        ndarray(new Float32Array(b), { shape: [2, 3, 5, 2] }),
      ),
    );
    expect(r.shape).toEqual([2, 3, 4, 2]);
    const expected: number[] = [];
    const a32 = Array.from(new Float32Array(a));
    const b32 = Array.from(new Float32Array(b));
    for (let t = 0; t < 6; t++)
      expected.push(
        ...referenceMatMul(a32.slice(t * 20, t * 20 + 20), b32.slice(t * 10, t * 10 + 10), 4, 5, 2, false, false),
      );
    expectClose(r.data, expected, { atol: 1e-5 });
  });

  it('multiplies int32 matrices exactly', async () => {
    const r = await evaluate1(device, () =>
      matMul(
        constant(
          [
            [1, 2],
            [3, 4],
          ],
          { dtype: 'int32' },
        ),
        constant([[5], [6]], { dtype: 'int32' }),
      ),
    );
    expect(r.dtype).toBe('int32');
    expect(r.toArray()).toEqual([[17], [39]]);
  });

  it('handles empty dims: k = 0 gives zeros, m = 0 gives an empty result', async () => {
    const zeroK = await evaluate1(device, () =>
      matMul(ndarray(new Float32Array(0), { shape: [2, 0] }), ndarray(new Float32Array(0), { shape: [0, 3] })),
    );
    expect(zeroK.toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    const zeroM = await evaluate1(device, () =>
      matMul(ndarray(new Float32Array(0), { shape: [0, 4] }), ndarray(new Float32Array(8), { shape: [4, 2] })),
    );
    expect(zeroM.shape).toEqual([0, 2]);
  });

  it('runs with unknown batch size fed at run time', async () => {
    const g = new Graph();
    const { y } = g.asDefault(() => {
      const x = placeholder('float32', [null, 2], { name: 'x' });
      return {
        x,
        y: matMul(x, [
          [1, 0, 2],
          [0, 1, 3],
        ]),
      };
    });
    expect(y.shape).toEqual([null, 3]);
    const s = new Session(g, { device });
    const r = await s.run(y, {
      x: [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
    });
    expect(r.toArray()).toEqual([
      [1, 2, 8],
      [3, 4, 18],
      [5, 6, 28],
    ]);
    s.close();
  });
});

describe('matMul shape inference and errors', () => {
  it('infers shapes with transposes and unknown dims', () => {
    const g = new Graph();
    g.asDefault(() => {
      const a = placeholder('float32', [null, 3]);
      const b = placeholder('float32', [5, 3]);
      expect(matMul(a, b, { transposeB: true }).shape).toEqual([null, 5]);
      expect(matMul(b, a, { transposeB: true }).shape).toEqual([5, null]);
      expect(matMul(a, b, { transposeA: true }).shape).toEqual([3, 3]);
      expect(matMul(placeholder('float32'), b).shape).toEqual([null, 3]);
      expect(matMul(placeholder('float32', [7, null, 2, 3]), placeholder('float32', [7, 4, 3, 6])).shape).toEqual([
        7, 4, 2, 6,
      ]);
    });
  });

  it('names the op and both shapes on an inner-dimension mismatch, like TF', () => {
    const g = new Graph();
    g.asDefault(() => {
      expect(() => matMul(placeholder('float32', [2, 3]), placeholder('float32', [4, 5]))).toThrow(
        /^Dimensions must be equal, but are 3 and 4 for 'MatMul' \(op: 'MatMul'\) with input shapes: \[2,3\], \[4,5\]\.$/,
      );
      expect(() =>
        matMul(placeholder('float32', [2, 3]), placeholder('float32', [5, 4]), { transposeA: true, name: 'mm' }),
      ).toThrow(/^Dimensions must be equal, but are 2 and 5 for 'mm' \(op: 'MatMul'\)/);
    });
  });

  it('rejects rank < 2, unequal batch dims, mixed dtypes and bool', () => {
    const g = new Graph();
    g.asDefault(() => {
      expect(() => matMul(placeholder('float32', [3]), placeholder('float32', [3, 2]))).toThrow(
        /Shape must be at least rank 2 but is rank 1 for 'MatMul'/,
      );
      expect(() => matMul(placeholder('float32', [2, 2, 3]), placeholder('float32', [4, 3, 2]))).toThrow(
        /Dimensions must be equal, but are 2 and 4 .* input shapes: \[2,2,3\], \[4,3,2\]/,
      );
      expect(() => matMul(placeholder('float32', [2, 2]), placeholder('int32', [2, 2]))).toThrow(
        /Input dtypes must match .*float32, int32/,
      );
      expect(() => matMul(placeholder('bool', [2, 2]), placeholder('bool', [2, 2]))).toThrow(
        /has dtype bool, not in the allowed list: float32, int32/,
      );
    });
  });

  it('rejects non-boolean transpose flags (inference and kernel would disagree on a truthy value)', () => {
    new Graph().asDefault(() => {
      const a = placeholder('float32', [2, 2]);
      expect(() => matMul(a, a, { transposeA: 1 as never })).toThrow(/^MatMul: transposeA must be a boolean, got 1$/);
      expect(() => matMul(a, a, { transposeB: 'yes' as never, name: 'mm' })).toThrow(
        /^mm: transposeB must be a boolean, got "yes"$/,
      );
    });
  });

  it('reports a run-time shape mismatch behind unknown dims with the op name', async () => {
    const g = new Graph();
    const { x, y } = g.asDefault(() => {
      const x = placeholder('float32', [2, null], { name: 'x' });
      return { x, y: matMul(x, placeholder('float32', [3, 1], { name: 'w' }), { name: 'logits' }) };
    });
    const s = new Session(g);
    await expect(
      s.run(y, {
        x: [
          [1, 2],
          [3, 4],
        ],
        w: [[1], [2], [3]],
      }),
    ).rejects.toThrow(/^MatMul 'logits': cannot multiply \[2,2\] by \[3,1\] .*inner dimensions 2 and 3 differ/);
    s.close();
    void x;
  });
});
