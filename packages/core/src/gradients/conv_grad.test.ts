import { describe, expect, it } from 'vitest';
import { Graph, Session, constant, conv2d, gradients, maxPool } from '../index.js';
import { DEVICES } from '../test_support/devices.js';
import { checkGradients, randomArray } from '../test_support/gradient_check.js';
import { distinct } from '../test_support/gradient_inputs.js';

const convCases = [
  { x: [1, 5, 5, 2], f: [3, 3, 2, 3], strides: 1, padding: 'VALID' },
  { x: [2, 5, 4, 1], f: [2, 2, 1, 2], strides: 2, padding: 'SAME' },
  { x: [1, 6, 6, 2], f: [3, 3, 2, 2], strides: [2, 1], padding: 'SAME' },
  { x: [1, 4, 4, 3], f: [1, 1, 3, 2], strides: 1, padding: 'VALID' },
] as const;

describe.each(DEVICES)('conv2d / maxPool gradients on %s', (device) => {
  it.each(convCases)(
    'conv2d x=$x filter=$f strides=$strides $padding matches central differences',
    async ({ x, f, strides, padding }) => {
      await checkGradients(device, {
        inputs: [randomArray([...x], 101), randomArray([...f], 102)],
        build: ([input, filter]) => conv2d(input!, filter!, strides as number, padding),
      });
    },
  );

  it('conv2d gradients with an unknown batch size', async () => {
    await checkGradients(device, {
      inputs: [randomArray([2, 4, 4, 1], 103), randomArray([3, 3, 1, 2], 104)],
      unknownShapes: true,
      build: ([input, filter]) => conv2d(input!, filter!, 1, 'SAME'),
    });
  });

  it.each([
    { x: [1, 4, 4, 2], k: 2, s: 2, padding: 'VALID' },
    { x: [2, 5, 5, 1], k: 3, s: 2, padding: 'SAME' },
    { x: [1, 5, 4, 2], k: [2, 3], s: 1, padding: 'VALID' },
  ] as const)('maxPool x=$x k=$k s=$s $padding matches central differences', async ({ x, k, s, padding }) => {
    await checkGradients(device, {
      inputs: [distinct([...x], 105)],
      build: ([input]) => maxPool(input!, k as number, s, padding),
    });
  });

  it('maxPool sends a tied window gradient to the first maximum only', async () => {
    const g = new Graph();
    const dx = g.asDefault(() => {
      const x = constant([
        [
          [[1], [1]],
          [[1], [0]],
        ],
      ]);
      return gradients(maxPool(x, 2, 2, 'VALID'), [x])[0]!;
    });
    const sess = new Session(g, { device });
    expect(Array.from((await sess.run(dx)).data)).toEqual([1, 0, 0, 0]);
    sess.close();
  });
});
