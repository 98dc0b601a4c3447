import { describe, it } from 'vitest';
import { matMul } from '../index.js';
import { DEVICES } from '../test_support/devices.js';
import { checkGradients, randomArray } from '../test_support/gradient_check.js';

describe.each(DEVICES)('MatMul gradient on %s', (device) => {
  const cases = [
    { transposeA: false, transposeB: false, a: [3, 4], b: [4, 2] },
    { transposeA: true, transposeB: false, a: [4, 3], b: [4, 2] },
    { transposeA: false, transposeB: true, a: [3, 4], b: [2, 4] },
    { transposeA: true, transposeB: true, a: [4, 3], b: [2, 4] },
    { transposeA: false, transposeB: true, a: [2, 3, 4], b: [2, 5, 4] },
  ];
  it.each(cases)(
    'matches central differences (transposeA=$transposeA, transposeB=$transposeB, a=$a, b=$b)',
    async ({ transposeA, transposeB, a, b }) => {
      await checkGradients(device, {
        inputs: [randomArray(a, 1), randomArray(b, 2)],
        build: ([x, y]) => matMul(x!, y!, { transposeA, transposeB }),
      });
    },
  );

  it('matches with unknown static shapes', async () => {
    await checkGradients(device, {
      inputs: [randomArray([3, 4], 3), randomArray([4, 2], 4)],
      unknownShapes: true,
      build: ([x, y]) => matMul(x!, y!),
    });
  });
});
