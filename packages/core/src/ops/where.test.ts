import { describe, expect, it } from 'vitest';
import { Graph, constant, greater, ndarray, placeholder, where } from '../index.js';
import { DEVICES, evaluate1 } from '../test_support/devices.js';

describe.each(DEVICES)('where on %s', (device) => {
  it('selects elementwise for same-shape inputs', async () => {
    const result = await evaluate1(device, () =>
      where(constant([true, false, true]), constant([1, 2, 3]), constant([-1, -2, -3])),
    );
    expect([result.dtype, ...result.data]).toEqual(['float32', 1, -2, 3]);
  });

  it('broadcasts cond [2,1,1], a [3,1] and b [4] to [2,3,4]', async () => {
    const cond = [[[true]], [[false]]];
    const a = [[10], [20], [30]];
    const b = [1, 2, 3, 4];
    const result = await evaluate1(device, () => where(constant(cond), constant(a), constant(b)));
    expect(result.shape).toEqual([2, 3, 4]);
    const expected = cond.map((plane) => a.map(([av]) => b.map((bv) => (plane[0]![0] ? av! : bv))));
    expect(result.toArray()).toEqual(expected);
  });

  it('takes the value dtype from a or b, so plain numbers stay int32 next to an int tensor', async () => {
    const result = await evaluate1(device, () => {
      const x = constant([-2, 5, 0], { dtype: 'int32' });
      return where(greater(x, 0), x, 0);
    });
    expect([result.dtype, ...result.data]).toEqual(['int32', 0, 5, 0]);
    const flipped = await evaluate1(device, () =>
      where(constant([true, false]), 7, constant([1, 2], { dtype: 'int32' })),
    );
    expect([flipped.dtype, ...flipped.data]).toEqual(['int32', 7, 2]);
  });

  it('takes the value dtype from an NDArray operand too', async () => {
    const result = await evaluate1(device, () => where([true, false], ndarray([4, 5], { dtype: 'int32' }), 0));
    expect([result.dtype, ...result.data]).toEqual(['int32', 4, 0]);
  });

  it('turns a plain boolean array condition into a bool constant', async () => {
    const result = await evaluate1(device, () => where([true, false, false], 1, constant([5, 6, 7])));
    expect(result.toArray()).toEqual([1, 6, 7]);
  });

  it('selects bool values, works on a scalar condition and on empty outputs', async () => {
    const bools = await evaluate1(device, () =>
      where(constant([true, false]), constant([false, false]), constant([true, true])),
    );
    expect(bools.toArray()).toEqual([false, true]);
    expect((await evaluate1(device, () => where(constant(false), constant([1, 2]), 9))).toArray()).toEqual([9, 9]);
    const empty = await evaluate1(device, () =>
      where(constant([true, false]), constant(new Float32Array(0), { shape: [0, 2] }), 1),
    );
    expect(empty.shape).toEqual([0, 2]);
  });
});

describe('where building', () => {
  it('infers the 3-way broadcast static shape', () => {
    const g = new Graph();
    g.asDefault(() => {
      const t = where(placeholder('bool', [null, 1]), placeholder('float32', [5]), 0);
      expect([t.dtype, t.shape, t.op.type]).toEqual(['float32', [null, 5], 'Select']);
    });
  });

  it('requires a bool condition, matching value dtypes and compatible shapes', () => {
    const g = new Graph();
    g.asDefault(() => {
      expect(() => where(constant([1, 0]), constant([1, 2]), constant([3, 4]))).toThrow(
        /^Value for 'Select' \(op: 'Select'\) has dtype float32, not in the allowed list: bool/,
      );
      expect(() => where(constant([true]), constant([1], { dtype: 'int32' }), constant([1.5]))).toThrow(
        /^Input dtypes must match for 'Select' \(op: 'Select'\), got int32, float32/,
      );
      expect(() => where(constant([true, false]), constant([1, 2, 3]), 0, { name: 'pick' })).toThrow(
        /^Dimensions must be equal, but are 2 and 3 for 'pick' \(op: 'Select'\) with input shapes: \[2\], \[3\], \[\]\.$/,
      );
    });
  });
});
