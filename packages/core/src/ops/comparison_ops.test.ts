import { describe, expect, it } from 'vitest';
import {
  Graph,
  type NDArray,
  constant,
  equal,
  greater,
  greaterEqual,
  less,
  lessEqual,
  notEqual,
  placeholder,
} from '../index.js';
import { DEVICES, evaluate, evaluate1 } from '../test_support/devices.js';
import type { TensorLike } from './op_builder.js';

type CompareFn = (a: TensorLike, b: TensorLike) => ReturnType<typeof equal>;

const COMPARISONS: [string, CompareFn, (x: number, y: number) => boolean][] = [
  ['equal', equal, (x, y) => x === y],
  ['notEqual', notEqual, (x, y) => x !== y],
  ['greater', greater, (x, y) => x > y],
  ['greaterEqual', greaterEqual, (x, y) => x >= y],
  ['less', less, (x, y) => x < y],
  ['lessEqual', lessEqual, (x, y) => x <= y],
];

describe.each(DEVICES)('comparisons on %s', (device) => {
  describe.each(COMPARISONS)('%s', (_name, op, f) => {
    it('broadcasts [3,1] against [4] into a bool [3,4] (float32, with NaN)', async () => {
      const rows = [-1, 0.5, NaN];
      const cols = [-1, 0, 0.5, 2];
      const result = await evaluate1(device, () => op(constant(rows.map((v) => [v])), constant(cols)));
      expect(result.dtype).toBe('bool');
      expect(result.shape).toEqual([3, 4]);
      expect(result.toArray()).toEqual(rows.map((r) => cols.map((c) => f(r, c))));
    });

    it('compares int32 against a plain number (which becomes int32) and works on rank 0 and empty', async () => {
      const result = await evaluate1(device, () =>
        op(
          constant(
            [
              [-2, 3],
              [3, 7],
            ],
            { dtype: 'int32' },
          ),
          3,
        ),
      );
      expect(result.toArray()).toEqual([
        [f(-2, 3), f(3, 3)],
        [f(3, 3), f(7, 3)],
      ]);
      expect((await evaluate1(device, () => op(2, 2))).toArray()).toBe(f(2, 2));
      const empty = await evaluate1(device, () =>
        op(constant(new Float32Array(0), { shape: [0, 2] }), constant([1, 2])),
      );
      expect([empty.dtype, ...empty.shape]).toEqual(['bool', 0, 2]);
    });
  });

  it('equal and notEqual accept bool inputs', async () => {
    const [eq, ne] = (await evaluate(device, () => {
      const a = constant([true, false, true]);
      return [equal(a, constant([true, true, true])), notEqual(a, true)];
    })) as NDArray[];
    expect(eq!.toArray()).toEqual([true, false, true]);
    expect(ne!.toArray()).toEqual([false, true, false]);
  });
});

describe('comparison building', () => {
  it('infers bool with the broadcast static shape', () => {
    const g = new Graph();
    g.asDefault(() => {
      const t = greater(placeholder('float32', [null, 3]), 0);
      expect([t.dtype, t.shape]).toEqual(['bool', [null, 3]]);
    });
  });

  it('rejects ordering bools, mixed dtypes and incompatible shapes', () => {
    const g = new Graph();
    g.asDefault(() => {
      expect(() => greater(constant([true]), constant([false]))).toThrow(
        /^Value for 'Greater' \(op: 'Greater'\) has dtype bool, not in the allowed list: float32, int32/,
      );
      expect(() => equal(constant([1], { dtype: 'int32' }), constant([1]))).toThrow(
        /^Input dtypes must match for 'Equal' \(op: 'Equal'\), got int32, float32/,
      );
      expect(() => less(constant([1, 2]), constant([1, 2, 3]))).toThrow(
        /^Dimensions must be equal, but are 2 and 3 for 'Less' \(op: 'Less'\) with input shapes: \[2\], \[3\]\.$/,
      );
    });
  });
});
