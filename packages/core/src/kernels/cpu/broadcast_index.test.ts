import { describe, expect, it } from 'vitest';
import { computeStrides, shapeSize } from '../../ndarray/shape.js';
import { broadcastReductionAxes, broadcastShapes, planBroadcastLoop } from './broadcast_index.js';

/** Offset of output element `flat` inside an operand of `shape`, by unravelling the index. */
function naiveOffset(flat: number, outShape: readonly number[], shape: readonly number[]): number {
  const outStrides = computeStrides(outShape);
  const strides = computeStrides(shape);
  const lead = outShape.length - shape.length;
  let offset = 0;
  for (let axis = 0; axis < outShape.length; axis++) {
    const index = Math.floor(flat / outStrides[axis]!) % outShape[axis]!;
    if (axis >= lead && shape[axis - lead] !== 1) offset += index * strides[axis - lead]!;
  }
  return offset;
}

function expectLoopMatchesNaive(shapes: number[][], outShape: number[]): void {
  const loop = planBroadcastLoop(shapes, outShape);
  expect(loop.size).toBe(shapeSize(outShape));
  expect(loop.rows * loop.middle * loop.inner).toBe(loop.size);
  for (let k = 0; k < shapes.length; k++) {
    const got: number[] = [];
    for (let r = 0; r < loop.rows; r++) {
      for (let j = 0; j < loop.middle; j++) {
        const start = loop.rowOffsets[k]![r]! + j * loop.middleStrides[k]!;
        for (let i = 0; i < loop.inner; i++) got.push(start + i * loop.innerStrides[k]!);
      }
    }
    const expected = Array.from({ length: loop.size }, (_, flat) => naiveOffset(flat, outShape, shapes[k]!));
    expect(got, `operand ${k} of ${JSON.stringify(shapes)}`).toEqual(expected);
  }
}

describe('broadcastShapes (runtime)', () => {
  it.each([
    [
      [2, 1, 3],
      [4, 1],
      [2, 4, 3],
    ],
    [[], [3], [3]],
    [[3], [], [3]],
    [[], [], []],
    [[0, 3], [3], [0, 3]],
    [[0], [1], [0]],
    [[1], [0], [0]],
    [
      [5, 1, 4, 1],
      [3, 1, 2],
      [5, 3, 4, 2],
    ],
  ])('%j with %j is %j', (a, b, out) => {
    expect(broadcastShapes(a, b)).toEqual(out);
  });

  it('names both shapes and the op on a mismatch', () => {
    expect(() => broadcastShapes([2, 3], [4, 3], "'Add' (op: 'Add')")).toThrow(
      /^Incompatible shapes: \[2,3\] vs\. \[4,3\] for 'Add' \(op: 'Add'\)$/,
    );
    expect(() => broadcastShapes([0], [2])).toThrow(/^Incompatible shapes: \[0\] vs\. \[2\]$/);
  });
});

describe('planBroadcastLoop', () => {
  it.each([
    [
      [
        [2, 3],
        [2, 3],
      ],
      [2, 3],
    ],
    [
      [[2, 3], []],
      [2, 3],
    ],
    [
      [[], [2, 3]],
      [2, 3],
    ],
    [
      [
        [2, 1, 3],
        [4, 1],
      ],
      [2, 4, 3],
    ],
    [
      [
        [4, 1],
        [2, 1, 3],
      ],
      [2, 4, 3],
    ],
    [
      [
        [5, 1, 4, 1],
        [3, 1, 2],
      ],
      [5, 3, 4, 2],
    ],
    [
      [
        [3, 1, 1],
        [1, 4, 5],
      ],
      [3, 4, 5],
    ],
    [
      [
        [2, 1, 3, 1],
        [1, 1, 3, 1],
      ],
      [2, 1, 3, 1],
    ],
    [
      [[1, 1], [1]],
      [1, 1],
    ],
    [[[], []], []],
    [
      [[2, 3], [3], [2, 1]],
      [2, 3],
    ],
    [
      [[1, 3, 1], [2, 1, 4], []],
      [2, 3, 4],
    ],
    [
      [[2, 3, 1, 5], [3, 4, 1], [5]],
      [2, 3, 4, 5],
    ],
    [
      [
        [6, 1, 2, 1, 3],
        [1, 4, 1, 5, 3],
      ],
      [6, 4, 2, 5, 3],
    ],
  ])('walks %j broadcast to %j exactly like index unravelling', (shapes, outShape) => {
    expectLoopMatchesNaive(shapes, outShape);
  });

  it('collapses same-shape and scalar operands into one contiguous run', () => {
    const same = planBroadcastLoop(
      [
        [4, 5, 6],
        [4, 5, 6],
      ],
      [4, 5, 6],
    );
    expect([same.rows, same.middle, same.inner, ...same.innerStrides]).toEqual([1, 1, 120, 1, 1]);
    const scalar = planBroadcastLoop([[4, 5, 6], []], [4, 5, 6]);
    expect([scalar.rows, scalar.middle, scalar.inner, ...scalar.innerStrides]).toEqual([1, 1, 120, 1, 0]);
  });

  it('walks [n,d] + [d] as one block of n runs, however small d is', () => {
    const bias = planBroadcastLoop([[100, 2], [2]], [100, 2]);
    expect([bias.rows, bias.middle, bias.inner]).toEqual([1, 100, 2]);
    expect([bias.innerStrides, bias.middleStrides]).toEqual([
      [1, 1],
      [2, 0],
    ]);
    const outer = planBroadcastLoop(
      [
        [7, 1],
        [1, 3],
      ],
      [7, 3],
    );
    expect([outer.rows, outer.middle, outer.inner, outer.innerStrides, outer.middleStrides]).toEqual([
      1,
      7,
      3,
      [0, 1],
      [1, 0],
    ]);
  });

  it('plans no rows for an empty output', () => {
    const loop = planBroadcastLoop([[0, 3], [3]], [0, 3]);
    expect([loop.size, loop.rows]).toEqual([0, 0]);
  });
});

describe('broadcastReductionAxes', () => {
  it('lists the leading axes an input lacks and the ones it broadcast from 1', () => {
    expect(broadcastReductionAxes([4, 1], [2, 4, 3])).toEqual([0, 2]);
    expect(broadcastReductionAxes([2, 1, 3], [2, 4, 3])).toEqual([1]);
    expect(broadcastReductionAxes([], [2, 3])).toEqual([0, 1]);
    expect(broadcastReductionAxes([2, 3], [2, 3])).toEqual([]);
    expect(broadcastReductionAxes([1, 1], [1, 1])).toEqual([]);
  });
});
