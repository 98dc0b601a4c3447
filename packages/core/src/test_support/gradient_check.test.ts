import { describe, expect, it } from 'vitest';
import { NDArray, getDefaultGraph, registerGradient, registerKernel } from '../index.js';
import type { Tensor } from '../index.js';
import { DEVICES } from './devices.js';
import { checkGradients, randomArray } from './gradient_check.js';

// A test-only op y = 3x whose registered gradient is deliberately wrong (2·dy), so the checker
// must reject it; and a correct twin it must accept.
function scaleOp(type: string, x: Tensor): Tensor {
  return getDefaultGraph().addOperation({ type, inputs: [x], outputs: [{ dtype: x.dtype, shape: x.shape }] }).output;
}
const tripleKernel = (inputs: readonly NDArray[]): NDArray => {
  const x = inputs[0]!;
  return new NDArray(
    'float32',
    x.shape,
    (x.data as Float32Array).map((v) => 3 * v),
  );
};
registerKernel({ opType: 'TestTripleWrongGrad', device: 'cpu', kernel: tripleKernel });
registerKernel({ opType: 'TestTripleRightGrad', device: 'cpu', kernel: tripleKernel });
registerGradient('TestTripleWrongGrad', (_op, [dy]) => [dy ? scaleOp('TestHalfSpeed', dy) : null]);
registerGradient('TestTripleRightGrad', (_op, [dy]) => [dy ? scaleOp('TestTripleRightGrad', dy) : null]);
registerKernel({
  opType: 'TestHalfSpeed',
  device: 'cpu',
  kernel: (inputs) =>
    new NDArray(
      'float32',
      inputs[0]!.shape,
      (inputs[0]!.data as Float32Array).map((v) => 2 * v),
    ),
});

describe.each(DEVICES)('checkGradients on %s', (device) => {
  it('accepts a correct gradient', async () => {
    await checkGradients(device, {
      inputs: [randomArray([2, 3], 5)],
      build: ([x]) => scaleOp('TestTripleRightGrad', x!),
    });
  });

  it('rejects a wrong gradient, naming the input and element', async () => {
    await expect(
      checkGradients(device, { inputs: [randomArray([2, 3], 5)], build: ([x]) => scaleOp('TestTripleWrongGrad', x!) }),
    ).rejects.toThrow(/input 0 element 0: symbolic [\d.]+, numeric [\d.]+/);
  });
});
