import { describe, it } from 'vitest';
import {
  NDArray,
  biasAdd,
  conv2d,
  gradients,
  logSoftmax,
  maxPool,
  meanSquaredError,
  mul,
  reduceSum,
  sigmoidCrossEntropyWithLogits,
  softmax,
  softmaxCrossEntropyWithLogits,
  sparseSoftmaxCrossEntropyWithLogits,
  square,
} from '../index.js';
import type { Tensor } from '../index.js';
import { DEVICES } from '../test_support/devices.js';
import { checkSecondOrderGradients, randomArray } from '../test_support/gradient_check.js';
import { distinct, distributions } from '../test_support/gradient_inputs.js';

/*
 * Second derivatives of the nn ops (softmax family, the losses, conv2d, maxPool, biasAdd), as
 * gradients(gradients(...)) against float64 central differences of the first derivative. These
 * differentiate SoftmaxGrad, LogSoftmaxGrad, the cross-entropy ops' backprop output,
 * MeanSquaredErrorGrad, Conv2DBackpropInput/Filter, MaxPoolGrad and (third order) MaxPoolGradGrad.
 */

type Case = { name: string; inputs: () => NDArray[]; build: (xs: Tensor[]) => Tensor; unknownShapes?: boolean };

const labels = new NDArray('int32', [4], Int32Array.from([0, 2, 1, 2]));

const cases: Case[] = [
  {
    name: 'softmax, last axis (SoftmaxGrad)',
    inputs: () => [randomArray([3, 4], 61, -2, 2)],
    build: ([x]) => softmax(x!),
  },
  {
    name: 'softmax, middle axis, unknown shapes',
    inputs: () => [randomArray([2, 3, 2], 62, -2, 2)],
    build: ([x]) => softmax(x!, 1),
    unknownShapes: true,
  },
  {
    name: 'logSoftmax (LogSoftmaxGrad)',
    inputs: () => [randomArray([3, 4], 63, -2, 2)],
    build: ([x]) => logSoftmax(x!),
  },
  {
    name: 'logSoftmax along axis 0',
    inputs: () => [randomArray([3, 2], 64, -2, 2)],
    build: ([x]) => logSoftmax(x!, 0),
  },
  {
    name: 'softmaxCrossEntropyWithLogits (logits and labels)',
    inputs: () => [randomArray([3, 4], 65, -2, 2), distributions(3, 4, 66)],
    build: ([logits, l]) => softmaxCrossEntropyWithLogits({ labels: l!, logits: logits! }),
  },
  {
    name: 'sparseSoftmaxCrossEntropyWithLogits',
    inputs: () => [randomArray([4, 3], 67, -2, 2), labels],
    build: ([logits, l]) => sparseSoftmaxCrossEntropyWithLogits({ labels: l!, logits: logits! }),
  },
  {
    name: 'sigmoidCrossEntropyWithLogits (logits and labels)',
    inputs: () => [randomArray([2, 3], 68, -2, 2), randomArray([2, 3], 69, 0, 1)],
    build: ([logits, l]) => sigmoidCrossEntropyWithLogits({ labels: l!, logits: logits! }),
  },
  {
    name: 'meanSquaredError times a prediction (MeanSquaredErrorGrad)',
    inputs: () => [randomArray([2, 3], 70), randomArray([2, 3], 71)],
    build: ([l, p]) => mul(meanSquaredError(l!, p!), reduceSum(p!)),
  },
  {
    name: 'biasAdd',
    inputs: () => [randomArray([2, 3], 72), randomArray([3], 73)],
    build: ([x, b]) => square(biasAdd(x!, b!)),
  },
  {
    name: 'conv2d VALID (Conv2DBackpropInput/Filter)',
    inputs: () => [randomArray([1, 4, 4, 2], 74), randomArray([2, 2, 2, 2], 75)],
    build: ([x, f]) => square(conv2d(x!, f!, 1, 'VALID')),
  },
  {
    name: 'conv2d SAME stride 2, unknown shapes',
    inputs: () => [randomArray([1, 5, 4, 1], 76), randomArray([3, 3, 1, 2], 77)],
    build: ([x, f]) => mul(conv2d(x!, f!, 2, 'SAME'), conv2d(x!, f!, 2, 'SAME')),
    unknownShapes: true,
  },
  {
    name: 'maxPool (MaxPoolGrad)',
    inputs: () => [distinct([1, 4, 4, 2], 78)],
    build: ([x]) => square(maxPool(x!, 2, 2, 'VALID')),
  },
  {
    name: 'maxPool SAME, overlapping windows',
    inputs: () => [distinct([1, 5, 5, 1], 79)],
    build: ([x]) => square(maxPool(x!, 3, 2, 'SAME')),
  },
  {
    // The build holds a first-order gradient (MaxPoolGrad), so the check differentiates MaxPoolGradGrad too.
    name: 'gradient of maxPool, differentiated twice more (MaxPoolGradGrad)',
    inputs: () => [distinct([1, 4, 4, 1], 80)],
    build: ([x]) => square(gradients(reduceSum(mul(maxPool(x!, 2, 2, 'VALID'), maxPool(x!, 2, 2, 'VALID'))), [x!])[0]!),
  },
];

describe.each(DEVICES)('second-order gradients of nn ops on %s', (device) => {
  it.each(cases)('$name', async ({ inputs, build, unknownShapes }) => {
    await checkSecondOrderGradients(device, { inputs: inputs(), build, ...(unknownShapes ? { unknownShapes } : {}) });
  });
});
