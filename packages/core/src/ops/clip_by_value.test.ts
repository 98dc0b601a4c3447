import { describe, expect, it } from 'vitest';
import { Graph, clipByValue, constant, placeholder } from '../index.js';
import { DEVICES, evaluate1 } from '../test_support/devices.js';

describe.each(DEVICES)('clipByValue on %s', (device) => {
  it('clamps floats into [min, max] with scalar bounds', async () => {
    const result = await evaluate1(device, () =>
      clipByValue(
        constant([
          [-5, 0.2],
          [0.9, 7],
        ]),
        0,
        1,
      ),
    );
    expect(result.toArray()).toEqual([
      [0, Math.fround(0.2)],
      [Math.fround(0.9), 1],
    ]);
  });

  it('accepts per-column bounds that broadcast to x, and int32 inputs', async () => {
    const result = await evaluate1(device, () =>
      clipByValue(
        constant([
          [-5, 5],
          [3, -3],
        ]),
        constant([-1, 0]),
        constant([1, 2]),
      ),
    );
    expect(result.toArray()).toEqual([
      [-1, 2],
      [1, 0],
    ]);
    const ints = await evaluate1(device, () => clipByValue(constant([-9, 4, 9], { dtype: 'int32' }), 0, 5));
    expect([ints.dtype, ...ints.data]).toEqual(['int32', 0, 4, 5]);
  });
});

describe('clipByValue building', () => {
  it("builds minimum then maximum under a 'clip_by_value' scope and keeps x's static shape", () => {
    const g = new Graph();
    g.asDefault(() => {
      const t = clipByValue(placeholder('float32', [null, 3]), 0, 6);
      expect([t.op.type, t.op.name, t.shape]).toEqual(['Maximum', 'clip_by_value/Maximum', [null, 3]]);
      expect(t.op.inputs[0]!.op.name).toBe('clip_by_value/Minimum');
      expect(clipByValue(1, 0, 2, { name: 'bounded' }).op.name).toBe('bounded/Maximum');
    });
  });

  it('rejects bounds that would enlarge x, and mismatched bound dtypes', () => {
    const g = new Graph();
    g.asDefault(() => {
      expect(() => clipByValue(constant([[1], [2]]), constant([0, 0, 0]), 1)).toThrow(
        /^clipByValue 'clip_by_value': bounds of shapes \[3\] and \[\] would broadcast x of shape \[2,1\] to \[2,3\]; they must broadcast to x's shape$/,
      );
      expect(() => clipByValue(constant([1, 2]), constant([0, 0, 0]), 1)).toThrow(
        /^Dimensions must be equal, but are 2 and 3 for 'clip_by_value' \(op: 'ClipByValue'\) with input shapes: \[2\], \[3\], \[\]\.$/,
      );
      expect(() => clipByValue(constant([1.5]), constant([0], { dtype: 'int32' }), 1)).toThrow(
        /^Input dtypes must match for 'clip_by_value' \(op: 'ClipByValue'\), got float32, int32, float32/,
      );
      expect(g.operations.filter((op) => op.type === 'Minimum' || op.type === 'Maximum')).toHaveLength(0);
    });
  });
});
