import { describe, expect, it } from 'vitest';
import { NDArray, ndarray } from '../index.js';

describe('ndarray()', () => {
  it('builds float32 from numbers and nested arrays, bool from booleans', () => {
    const a = ndarray([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(a.dtype).toBe('float32');
    expect(a.shape).toEqual([2, 3]);
    expect(a.size).toBe(6);
    expect(a.rank).toBe(2);
    expect(a.get(1, 2)).toBe(6);
    expect(a.get(-1, 0)).toBe(4);
    const s = ndarray(3.5);
    expect(s.shape).toEqual([]);
    expect(s.item()).toBe(3.5);
    expect(s.toArray()).toBe(3.5);
    const b = ndarray([true, false]);
    expect(b.dtype).toBe('bool');
    expect(b.data).toBeInstanceOf(Uint8Array);
    expect(b.toArray()).toEqual([true, false]);
  });

  it('uses a matching typed array without copying, and casts otherwise', () => {
    const data = new Float32Array([1, 2, 3, 4]);
    const a = ndarray(data, { shape: [2, 2] });
    expect(a.data).toBe(data);
    const i = ndarray(new Int32Array([1, 2]));
    expect(i.dtype).toBe('int32');
    const c = ndarray(new Float64Array([1, -2]), { dtype: 'int32' });
    expect([...c.data]).toEqual([1, -2]);
    // Non-integers are refused like nested arrays' (see the int32 rule below), not truncated.
    expect(() => ndarray(new Float64Array([1.7, -2.7]), { dtype: 'int32' })).toThrow(
      /ndarray: element 0 is 1\.7, not a 32-bit integer/,
    );
  });

  it('fills a shape from a scalar and handles empty arrays', () => {
    expect(ndarray(7, { shape: [2, 2] }).toArray()).toEqual([
      [7, 7],
      [7, 7],
    ]);
    const e = ndarray([]);
    expect(e.shape).toEqual([0]);
    expect(e.toArray()).toEqual([]);
    expect(new NDArray('float32', [2, 0, 3], new Float32Array(0)).toArray()).toEqual([[], []]);
  });

  it('names the problem with bad input', () => {
    expect(() => ndarray([[1, 2], [3]])).toThrow(/ragged nested array at \[1\]: expected length 2, got 1/);
    expect(() => ndarray([1, [2]] as never)).toThrow(/ragged nested array at \[1\]: expected a number, got an array/);
    expect(() => ndarray({} as never)).toThrow(/cannot build an array from an object/);
    expect(() => ndarray([1, 2, 3], { shape: [2, 2] })).toThrow(
      /NDArray data has 3 elements but shape \[2,2\] needs 4/,
    );
    expect(() => ndarray([1], { dtype: 'float16' as never })).toThrow(
      /unknown dtype "float16"; expected one of float32, int32, bool, float64/,
    );
    expect(() => ndarray([1, 2]).item()).toThrow(/item\(\) needs an array of size 1, got shape \[2\]/);
    expect(() => ndarray([1, 2]).get(2)).toThrow(/index 2 is out of range for axis 0 of size 2/);
    expect(() => ndarray([1, 2]).get(0, 0)).toThrow(/get\(\) needs 1 indices/);
  });
});

describe('NDArray shape ownership', () => {
  it('copies a mutable shape (later edits by the caller do not reach the array) and shares a frozen one', () => {
    const shape = [2, 2];
    const a = new NDArray('float32', shape, new Float32Array(4));
    shape[0] = 1;
    expect(a.shape).toEqual([2, 2]);
    expect(Object.isFrozen(a.shape)).toBe(true);
    const b = new NDArray('float32', a.shape, new Float32Array(4));
    expect(b.shape).toBe(a.shape);
  });
});
