import { describe, expect, it } from 'vitest';
import { Graph, placeholder } from '../index.js';
import type { StaticShape } from '../ndarray/shape.js';
import { broadcastStaticShapes, broadcastStaticShapesN } from './broadcast_shape.js';

describe('broadcastStaticShapes', () => {
  const infer = (a: StaticShape, b: StaticShape): StaticShape => broadcastStaticShapes(a, b, 'Add', 'Add', []);

  it.each<[StaticShape, StaticShape, StaticShape]>([
    [
      [2, 1, 3],
      [4, 1],
      [2, 4, 3],
    ],
    [[], [3], [3]],
    [[], [], []],
    [[null, 3], [3], [null, 3]],
    [[null], [1], [null]],
    [[1], [null], [null]],
    [[null], [4], [4]],
    [[4], [null], [4]],
    [[null], [null], [null]],
    [[null], [0], [0]],
    [
      [0, 3],
      [1, 3],
      [0, 3],
    ],
    [null, [3], null],
    [[3], null, null],
  ])('%j with %j is %j', (a, b, out) => {
    expect(infer(a, b)).toEqual(out);
  });

  it("raises TF's message naming the op and every input shape", () => {
    const g = new Graph();
    const inputs = g.asDefault(() => [placeholder('float32', [2, null]), placeholder('float32', [3, 1])]);
    expect(() => broadcastStaticShapes(inputs[0]!.shape, inputs[1]!.shape, 'Mul_2', 'Mul', inputs)).toThrow(
      /^Dimensions must be equal, but are 2 and 3 for 'Mul_2' \(op: 'Mul'\) with input shapes: \[2,\?\], \[3,1\]\.$/,
    );
  });

  it('broadcasts three shapes for where()', () => {
    expect(broadcastStaticShapesN([[2, 1, 1], [3, 1], [4]], 'Select', 'Select', [])).toEqual([2, 3, 4]);
    expect(broadcastStaticShapesN([[null, 1], [5], null], 'Select', 'Select', [])).toBeNull();
  });
});
