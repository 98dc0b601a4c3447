import { describe, expect, it } from 'vitest';
import { Graph, Session, constant, gradients, ndarray, reduceMax, reduceMean, reduceMin, reduceSum } from '../index.js';
import { DEVICES } from '../test_support/devices.js';
import { checkGradients, randomArray } from '../test_support/gradient_check.js';

const reductions = [
  ['reduceSum', reduceSum],
  ['reduceMean', reduceMean],
  ['reduceMax', reduceMax],
  ['reduceMin', reduceMin],
] as const;

const axisCases: { axis: number | number[] | undefined; keepDims: boolean }[] = [
  { axis: undefined, keepDims: false },
  { axis: undefined, keepDims: true },
  { axis: 0, keepDims: false },
  { axis: -1, keepDims: true },
  { axis: [0, 2], keepDims: false },
  { axis: [1], keepDims: true },
];

describe.each(DEVICES)('reduction gradients on %s', (device) => {
  describe.each(reductions)('%s', (_name, reduce) => {
    it.each(axisCases)('matches central differences (axis=$axis, keepDims=$keepDims)', async ({ axis, keepDims }) => {
      // Distinct values (a shuffled ramp) so max/min have no ties within the step.
      const values = randomArray([2, 3, 4], 61);
      const order = Array.from(values.data.keys()).sort((a, b) => values.data[a]! - values.data[b]!);
      const ramp = new Float32Array(values.size);
      order.forEach((at, rank) => {
        ramp[at] = rank * 0.1 - 1;
      });
      const x = ndarray(ramp, { shape: [2, 3, 4] });
      await checkGradients(device, { inputs: [x], build: ([t]) => reduce(t!, axis, keepDims) });
      await checkGradients(device, { inputs: [x], unknownShapes: true, build: ([t]) => reduce(t!, axis, keepDims) });
    });
  });

  it('reduceMax shares the gradient equally between tied maxima', async () => {
    const g = new Graph();
    const dx = g.asDefault(() => {
      const x = constant([
        [1, 3, 3],
        [2, 0, 1],
      ]);
      return gradients(reduceMax(x, 1), [x])[0]!;
    });
    const sess = new Session(g, { device });
    const value = await sess.run(dx);
    expect(value.toArray()).toEqual([
      [0, 0.5, 0.5],
      [1, 0, 0],
    ]);
    sess.close();
  });
});
