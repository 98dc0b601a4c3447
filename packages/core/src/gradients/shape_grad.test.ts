import { describe, expect, it } from 'vitest';
import {
  Graph,
  Session,
  concat,
  constant,
  expandDims,
  gather,
  gradients,
  mul,
  ndarray,
  reshape,
  squeeze,
  transpose,
} from '../index.js';
import { broadcastTo, shape, tile } from '../ops/shape_ops.js';
import { DEVICES } from '../test_support/devices.js';
import { checkGradients, randomArray } from '../test_support/gradient_check.js';

describe.each(DEVICES)('shape op gradients on %s', (device) => {
  it.each([
    ['reshape', [2, 6], [3, -1]],
    ['reshape to a vector', [2, 3, 2], [-1]],
  ] as const)('%s matches central differences', async (_name, from, to) => {
    const build = ([x]: import('../index.js').Tensor[]) => reshape(x!, to);
    await checkGradients(device, { inputs: [randomArray(from, 71)], build });
    await checkGradients(device, { inputs: [randomArray(from, 71)], unknownShapes: true, build });
  });

  it('reshape to a runtime shape tensor', async () => {
    await checkGradients(device, {
      inputs: [randomArray([2, 6], 72), randomArray([3, 4], 73)],
      build: ([x, y]) => mul(reshape(x!, shape(y!)), y!),
    });
  });

  it.each([[[1, 0, 2]], [[2, 0, 1]], [null]] as const)(
    'transpose with perm %j matches central differences',
    async (perm) => {
      await checkGradients(device, { inputs: [randomArray([2, 3, 4], 74)], build: ([x]) => transpose(x!, perm) });
      await checkGradients(device, {
        inputs: [randomArray([2, 3, 4], 74)],
        unknownShapes: true,
        build: ([x]) => transpose(x!, perm),
      });
    },
  );

  it('expandDims and squeeze match central differences', async () => {
    await checkGradients(device, { inputs: [randomArray([2, 3], 75)], build: ([x]) => expandDims(x!, 1) });
    await checkGradients(device, { inputs: [randomArray([2, 1, 3, 1], 76)], build: ([x]) => squeeze(x!) });
    await checkGradients(device, {
      inputs: [randomArray([2, 1, 3, 1], 76)],
      unknownShapes: true,
      build: ([x]) => squeeze(x!, [1]),
    });
  });

  it.each([[[3]], [[2, 1]], [[1, 3, 2]]] as const)(
    'tile with multiples %j sums the gradient over tiles',
    async (multiples) => {
      const shapes: Record<number, number[]> = { 1: [4], 2: [2, 3], 3: [2, 1, 3] };
      const x = randomArray(shapes[multiples.length]!, 78);
      await checkGradients(device, { inputs: [x], build: ([t]) => tile(t!, multiples) });
      await checkGradients(device, { inputs: [x], unknownShapes: true, build: ([t]) => tile(t!, multiples) });
    },
  );

  it('broadcastTo sums the gradient back', async () => {
    await checkGradients(device, { inputs: [randomArray([3, 1], 77)], build: ([x]) => broadcastTo(x!, [2, 3, 4]) });
  });

  it('gives no gradient to the shape input of reshape', async () => {
    const g = new Graph();
    const grads = g.asDefault(() => {
      const x = constant([1, 2, 3, 4]);
      const s = constant([2, 2], { dtype: 'int32' });
      return gradients(reshape(x, s), [x, s]);
    });
    expect(grads[1]).toBeNull();
    const sess = new Session(g, { device });
    expect(Array.from((await sess.run(grads[0]!)).data)).toEqual([1, 1, 1, 1]);
    sess.close();
  });
});

describe.each(DEVICES)('concat / gather gradients on %s', (device) => {
  it.each([0, 1, -1])('concat along axis %d matches central differences', async (axis) => {
    const shapes =
      axis === 0
        ? [
            [1, 3],
            [2, 3],
            [3, 3],
          ]
        : [
            [2, 1],
            [2, 3],
            [2, 2],
          ];
    await checkGradients(device, {
      inputs: shapes.map((s, i) => randomArray(s, 110 + i)),
      build: (xs) => concat(xs, axis),
    });
    await checkGradients(device, {
      inputs: shapes.map((s, i) => randomArray(s, 120 + i)),
      unknownShapes: true,
      build: (xs) => concat(xs, axis),
    });
  });

  it('gather sums the gradient of repeated indices, on axis 0 and 1', async () => {
    await checkGradients(device, {
      inputs: [randomArray([4, 3], 130), ndarray([3, 0, 3, 1, 3], { dtype: 'int32' })],
      build: ([x, i]) => gather(x!, i!),
    });
    await checkGradients(device, {
      inputs: [
        randomArray([2, 4, 2], 131),
        ndarray(
          [
            [1, 1],
            [0, 3],
          ],
          { dtype: 'int32' },
        ),
      ],
      unknownShapes: true,
      build: ([x, i]) => gather(x!, i!, 1),
    });
  });
});
