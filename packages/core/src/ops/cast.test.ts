import { describe, expect, it } from 'vitest';
import { Graph, cast, constant, placeholder } from '../index.js';
import { DEVICES, evaluate1 } from '../test_support/devices.js';

describe.each(DEVICES)('cast on %s', (device) => {
  it('float32 -> int32 truncates toward zero', async () => {
    const result = await evaluate1(device, () => cast(constant([1.9, -1.9, 0.5, -0.5, 3]), 'int32'));
    expect(result.dtype).toBe('int32');
    expect(Array.from(result.data)).toEqual([1, -1, 0, 0, 3]);
  });

  it('numbers -> bool is x != 0 (NaN is true), bool -> numbers is 0/1', async () => {
    const toBool = await evaluate1(device, () => cast(constant([0, -0, 2.5, NaN, -1]), 'bool'));
    expect(toBool.toArray()).toEqual([false, false, true, true, true]);
    const intToBool = await evaluate1(device, () => cast(constant([[0, 7]], { dtype: 'int32' }), 'bool'));
    expect(intToBool.toArray()).toEqual([[false, true]]);
    const boolToFloat = await evaluate1(device, () => cast(constant([true, false]), 'float32'));
    expect([boolToFloat.dtype, ...boolToFloat.data]).toEqual(['float32', 1, 0]);
    const boolToInt = await evaluate1(device, () => cast(constant([true, false]), 'int32'));
    expect([boolToInt.dtype, ...boolToInt.data]).toEqual(['int32', 1, 0]);
  });

  it('int32 -> float32 rounds to the nearest float32; same-dtype casts pass values through', async () => {
    const result = await evaluate1(device, () => cast(constant([16777217, -3], { dtype: 'int32' }), 'float32'));
    expect(Array.from(result.data)).toEqual([16777216, -3]);
    expect((await evaluate1(device, () => cast(constant([[1.5, 2]]), 'float32'))).toArray()).toEqual([[1.5, 2]]);
  });

  it('handles rank 0 and empty tensors', async () => {
    expect((await evaluate1(device, () => cast(2.7, 'int32'))).toArray()).toBe(2);
    const empty = await evaluate1(device, () => cast(constant(new Float32Array(0), { shape: [0, 3] }), 'bool'));
    expect([empty.dtype, ...empty.shape]).toEqual(['bool', 0, 3]);
  });
});

describe('cast building', () => {
  it('keeps the static shape and rejects unknown dtypes', () => {
    const g = new Graph();
    g.asDefault(() => {
      const t = cast(placeholder('int32', [null, 2]), 'float32');
      expect([t.dtype, t.shape, t.op.attrs['dtype']]).toEqual(['float32', [null, 2], 'float32']);
      expect(() => cast(1, 'float16' as never)).toThrow(
        /^cast: unknown dtype "float16"; expected one of float32, int32, bool$/,
      );
      expect(() => cast(1, 'float64')).toThrow(
        /^cast: dtype float64 is for host values \(NDArrays of double columns\), not graph tensors/,
      );
    });
  });
});
