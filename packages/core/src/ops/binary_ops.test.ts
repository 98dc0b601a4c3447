import { describe, expect, it } from 'vitest';
import {
  Graph,
  type NDArray,
  Session,
  Variable,
  add,
  constant,
  div,
  maximum,
  minimum,
  mul,
  ndarray,
  placeholder,
  pow,
  sub,
} from '../index.js';
import { computeStrides, shapeSize } from '../ndarray/shape.js';
import { DEVICES, evaluate1, expectClose } from '../test_support/devices.js';
import type { TensorLike } from './op_builder.js';

type BinaryFn = (a: TensorLike, b: TensorLike) => ReturnType<typeof add>;

/** Deterministic float inputs in roughly [-3, 3] (never 0, so division stays finite). */
function values(shape: number[], salt: number): NDArray {
  const n = shapeSize(shape);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = (((i + 1) * 7919 + salt * 104729) % 613) / 100 - 3.07 || 0.5;
  return ndarray(data, { shape });
}

/** float64 reference of a broadcast binary op by index unravelling, rounded to float32. */
function reference(a: NDArray, b: NDArray, f: (x: number, y: number) => number, outShape: number[]): Float32Array {
  const out = new Float32Array(shapeSize(outShape));
  const outStrides = computeStrides(outShape);
  const at = (x: NDArray, flat: number): number => {
    const strides = computeStrides(x.shape);
    const lead = outShape.length - x.rank;
    let offset = 0;
    for (let axis = lead; axis < outShape.length; axis++) {
      const index = Math.floor(flat / outStrides[axis]!) % outShape[axis]!;
      if (x.shape[axis - lead] !== 1) offset += index * strides[axis - lead]!;
    }
    return x.data[offset]!;
  };
  for (let i = 0; i < out.length; i++) out[i] = f(at(a, i), at(b, i));
  return out;
}

const FLOAT_OPS: [string, BinaryFn, (x: number, y: number) => number][] = [
  ['add', add, (x, y) => x + y],
  ['sub', sub, (x, y) => x - y],
  ['mul', mul, (x, y) => x * y],
  ['div', div, (x, y) => x / y],
  ['maximum', maximum, Math.max],
  ['minimum', minimum, Math.min],
];

const SHAPE_PAIRS: [number[], number[], number[]][] = [
  [
    [2, 3],
    [2, 3],
    [2, 3],
  ],
  [
    [2, 1, 3],
    [4, 1],
    [2, 4, 3],
  ],
  [
    [4, 1],
    [2, 1, 3],
    [2, 4, 3],
  ],
  [[], [3], [3]],
  [[2, 3], [], [2, 3]],
  [[], [], []],
  [
    [5, 1, 4, 1],
    [3, 1, 2],
    [5, 3, 4, 2],
  ],
  [
    [3, 1],
    [1, 4],
    [3, 4],
  ],
  [[0, 3], [3], [0, 3]],
  [
    [2, 0, 3],
    [1, 3],
    [2, 0, 3],
  ],
];

describe.each(DEVICES)('binary arithmetic on %s', (device) => {
  describe.each(FLOAT_OPS)('%s (float32)', (_name, op, f) => {
    it.each(SHAPE_PAIRS)('%j with %j gives %j and matches the float64 reference', async (aShape, bShape, outShape) => {
      const a = values(aShape, 1);
      const b = values(bShape, 2);
      const result = await evaluate1(device, () => op(constant(a), constant(b)));
      expect(result.dtype).toBe('float32');
      expect(result.shape).toEqual(outShape);
      expectClose(result.data, reference(a, b, f, outShape));
    });
  });

  it('pow matches Math.pow on positive bases, and gives NaN for a negative base with a fractional exponent', async () => {
    const a = ndarray([
      [0.5, 2, 3],
      [1.5, 4, 0],
    ]);
    const b = ndarray([2, -1.5, 0.5]);
    const result = await evaluate1(device, () => pow(constant(a), constant(b)));
    expectClose(result.data, reference(a, b, Math.pow, [2, 3]));
    expect(Number.isNaN((await evaluate1(device, () => pow(-8, 1 / 3))).item())).toBe(true);
  });

  it('maximum and minimum propagate NaN; division by zero gives signed infinities', async () => {
    const result = await evaluate1(device, () => maximum(constant([NaN, 1]), constant([0, NaN])));
    expect(Array.from(result.data).every(Number.isNaN)).toBe(true);
    expect((await evaluate1(device, () => minimum(constant([NaN]), 0))).item()).toBeNaN();
    expect(Array.from((await evaluate1(device, () => div(constant([1, -1, 0]), 0))).data)).toEqual([
      Infinity,
      -Infinity,
      NaN,
    ]);
  });

  it('rounds float results to float32', async () => {
    const result = await evaluate1(device, () => add(0.1, 0.2));
    expect(result.item()).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
  });

  describe('int32', () => {
    const int = (v: number[] | number[][] | number): TensorLike => constant(v, { dtype: 'int32' });

    it('keeps int32 when a plain number meets an int tensor, and wraps like int32', async () => {
      const result = await evaluate1(device, () => add(int([2147483647, -5]), 1));
      expect(result.dtype).toBe('int32');
      expect(Array.from(result.data)).toEqual([-2147483648, -4]);
      const product = await evaluate1(device, () => mul(int([65536, 46341, -3]), int([65536, 46341, 7])));
      expect(Array.from(product.data)).toEqual([0, (46341 * 46341) | 0, -21]);
      expect(Array.from((await evaluate1(device, () => sub(int([-2147483648]), 1))).data)).toEqual([2147483647]);
    });

    it('divides with floor semantics (TF1 tf.div on integers), including -2^31 / -1 wrapping', async () => {
      const result = await evaluate1(device, () => div(int([7, -7, 7, -7, 6, 0]), int([2, 2, -2, -2, 3, 5])));
      expect(Array.from(result.data)).toEqual([3, -4, -4, 3, 2, 0]);
      expect((await evaluate1(device, () => div(int(-2147483648), int(-1)))).item()).toBe(-2147483648);
      const broadcast = await evaluate1(device, () => div(int([[9], [-9]]), int([2, 4])));
      expect(broadcast.toArray()).toEqual([
        [4, 2],
        [-5, -3],
      ]);
    });

    it('fails integer division by zero at run time, naming the op', async () => {
      await expect(evaluate1(device, () => div(int([1, 2]), int([1, 0]), { name: 'ratio' }))).rejects.toThrow(
        /^Integer division by zero in 'ratio' \(op: 'Div'\)$/,
      );
    });

    it('raises to integer powers exactly with wrap-around, and rejects negative exponents', async () => {
      const result = await evaluate1(device, () => pow(int([2, 3, -2, 5, 3, 0]), int([10, 3, 3, 0, 20, 0])));
      expect(Array.from(result.data)).toEqual([1024, 27, -8, 1, Number(BigInt.asIntN(32, 3n ** 20n)), 1]);
      await expect(evaluate1(device, () => pow(int([2]), int([-1])))).rejects.toThrow(
        /^Integers to negative integer powers are not allowed \(got 2 \*\* -1\) in 'Pow' \(op: 'Pow'\)$/,
      );
    });

    it('maximum/minimum broadcast on int32', async () => {
      const result = await evaluate1(device, () =>
        maximum(
          int([
            [1, 5],
            [7, -2],
          ]),
          int([3, 0]),
        ),
      );
      expect(result.toArray()).toEqual([
        [3, 5],
        [7, 0],
      ]);
      expect(
        (
          await evaluate1(device, () =>
            minimum(
              int([
                [1, 5],
                [7, -2],
              ]),
              4,
            ),
          )
        ).toArray(),
      ).toEqual([
        [1, 4],
        [4, -2],
      ]);
    });
  });

  it('accepts Variables as inputs; a plain number next to an int32 Variable becomes int32', async () => {
    const g = new Graph();
    const { v, next } = g.asDefault(() => {
      const v = new Variable(constant([1, 2], { dtype: 'int32' }), { name: 'counter' });
      return { v, next: mul(v, 3) };
    });
    expect([next.dtype, next.shape]).toEqual(['int32', [2]]);
    using sess = new Session(g, { device });
    await sess.run(v.initializer);
    expect((await sess.run(next)).toArray()).toEqual([3, 6]);
  });

  it('broadcasts placeholders whose dims are only known at run time', async () => {
    const g = new Graph();
    const { sum } = g.asDefault(() => {
      const x = placeholder('float32', [null, 1], { name: 'x' });
      const y = placeholder('float32', null, { name: 'y' });
      return { x, y, sum: add(x, y) };
    });
    expect(sum.shape).toBeNull();
    using sess = new Session(g, { device });
    const result = await sess.run(sum, { x: [[1], [2]], y: [10, 20, 30] });
    expect(result.toArray()).toEqual([
      [11, 21, 31],
      [12, 22, 32],
    ]);
    await expect(
      sess.run(sum, {
        x: [[1], [2]],
        y: [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
      }),
    ).rejects.toThrow(/^Incompatible shapes: \[2,1\] vs\. \[3,2\] for 'Add' \(op: 'Add'\)$/);
  });
});

describe('binary op building', () => {
  it("infers [?,3] + [4,1] as [4,3] and '?' vs 1 as '?'", () => {
    const g = new Graph();
    g.asDefault(() => {
      expect(add(placeholder('float32', [null, 3]), constant([[1], [2], [3], [4]])).shape).toEqual([4, 3]);
      expect(mul(placeholder('float32', [null, 3]), constant([[1, 2, 3]])).shape).toEqual([null, 3]);
      expect(sub(placeholder('int32', [2, null]), 1).dtype).toBe('int32');
    });
  });

  it('gives plain numbers the dtype of a typed operand (Tensor first, then NDArray), else float32', () => {
    const g = new Graph();
    g.asDefault(() => {
      expect(add(ndarray([1, 2], { dtype: 'int32' }), 2).dtype).toBe('int32');
      expect(sub(3, ndarray([1], { dtype: 'int32' })).op.inputs.map((t) => t.dtype)).toEqual(['int32', 'int32']);
      expect(mul(2, 3).dtype).toBe('float32');
      expect(() => add(ndarray([1], { dtype: 'int32' }), constant([1.5]))).toThrow(
        /^Input dtypes must match for 'Add_\d+' \(op: 'Add'\), got int32, float32/,
      );
    });
  });

  it("throws TF's shape error naming the uniquified op and both input shapes", () => {
    const g = new Graph();
    g.asDefault(() => {
      add(constant([1, 2]), constant([3, 4]));
      expect(() => add(constant([1, 2]), constant([1, 2, 3]))).toThrow(
        /^Dimensions must be equal, but are 2 and 3 for 'Add_1' \(op: 'Add'\) with input shapes: \[2\], \[3\]\.$/,
      );
      expect(() => mul(placeholder('float32', [null, 2]), constant([1, 2, 3]), { name: 'scale' })).toThrow(
        /^Dimensions must be equal, but are 2 and 3 for 'scale' \(op: 'Mul'\) with input shapes: \[\?,2\], \[3\]\.$/,
      );
      expect(g.operations.filter((op) => op.type === 'Add' || op.type === 'Mul')).toHaveLength(1);
    });
  });

  it('rejects mismatched dtypes and bool inputs with the op name', () => {
    const g = new Graph();
    g.asDefault(() => {
      expect(() => add(constant([1], { dtype: 'int32' }), constant([1.5]))).toThrow(
        /^Input dtypes must match for 'Add' \(op: 'Add'\), got int32, float32/,
      );
      expect(() => mul(constant([true]), constant([false]))).toThrow(
        /^Value for 'Mul' \(op: 'Mul'\) has dtype bool, not in the allowed list: float32, int32/,
      );
    });
  });
});
