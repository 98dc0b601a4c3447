import { describe, expect, it } from 'vitest';
import { Graph } from '../graph/graph.js';
import { DEVICES, evaluate1 } from '../test_support/devices.js';
import { oneHot } from './one_hot.js';
import { placeholder } from './placeholder.js';

describe.each(DEVICES)('oneHot on %s', (device) => {
  it('builds float32 rows, all zeros for out-of-range indices', async () => {
    const r = await evaluate1(device, () => oneHot([0, 2, 3, -1], 3));
    expect(r.dtype).toBe('float32');
    expect(r.toArray()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect((await evaluate1(device, () => oneHot([[1], [0]], 2))).shape).toEqual([2, 1, 2]);
    expect((await evaluate1(device, () => oneHot(1, 2))).toArray()).toEqual([0, 1]);
  });
});

describe('oneHot shape inference and errors', () => {
  it('infers shapes and rejects bad arguments', () => {
    new Graph().asDefault(() => {
      expect(oneHot(placeholder('int32', [null]), 5).shape).toEqual([null, 5]);
      expect(() => oneHot([1], -2)).toThrow(/OneHot: depth must be a non-negative integer, got -2/);
      expect(() => oneHot(placeholder('float32', [2]), 3)).toThrow(/'OneHot_\d+' \(op: 'OneHot'\) has dtype float32/);
    });
  });
});
