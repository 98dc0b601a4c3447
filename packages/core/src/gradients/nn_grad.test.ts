import { describe, expect, it } from 'vitest';
import {
  Graph,
  Session,
  biasAdd,
  constant,
  gradients,
  logSoftmax,
  meanSquaredError,
  ndarray,
  reduceSum,
  sigmoidCrossEntropyWithLogits,
  softmax,
  softmaxCrossEntropyWithLogits,
  sparseSoftmaxCrossEntropyWithLogits,
} from '../index.js';
import { DEVICES } from '../test_support/devices.js';
import { checkGradients, randomArray } from '../test_support/gradient_check.js';
import { distributions } from '../test_support/gradient_inputs.js';

describe.each(DEVICES)('nn gradients on %s', (device) => {
  it.each([
    ['softmax', softmax],
    ['logSoftmax', logSoftmax],
  ] as const)('%s matches central differences on the last and a middle axis', async (_name, op) => {
    await checkGradients(device, { inputs: [randomArray([3, 4], 81, -2, 2)], build: ([x]) => op(x!) });
    await checkGradients(device, { inputs: [randomArray([2, 3, 4], 82, -2, 2)], build: ([x]) => op(x!, 1) });
    await checkGradients(device, {
      inputs: [randomArray([3, 4], 83, -2, 2)],
      unknownShapes: true,
      build: ([x]) => op(x!, 0),
    });
  });

  it('softmaxCrossEntropyWithLogits: gradients for logits and labels', async () => {
    await checkGradients(device, {
      inputs: [randomArray([4, 5], 84, -2, 2), distributions(4, 5, 85)],
      build: ([logits, labels]) => softmaxCrossEntropyWithLogits({ labels: labels!, logits: logits! }),
    });
    await checkGradients(device, {
      inputs: [randomArray([4, 5], 86, -2, 2), distributions(4, 5, 87)],
      unknownShapes: true,
      build: ([logits, labels]) => softmaxCrossEntropyWithLogits({ labels: labels!, logits: logits! }),
    });
  });

  it('sparseSoftmaxCrossEntropyWithLogits: gradient for logits, none for int labels', async () => {
    await checkGradients(device, {
      inputs: [randomArray([4, 3], 88, -2, 2), ndarray([0, 2, 1, 2], { dtype: 'int32' })],
      build: ([logits, labels]) => sparseSoftmaxCrossEntropyWithLogits({ labels: labels!, logits: logits! }),
    });
  });

  it('sigmoidCrossEntropyWithLogits: gradients for logits and labels', async () => {
    await checkGradients(device, {
      inputs: [randomArray([3, 4], 89, -3, 3), randomArray([3, 4], 90, 0, 1)],
      build: ([logits, labels]) => sigmoidCrossEntropyWithLogits({ labels: labels!, logits: logits! }),
    });
  });

  it('meanSquaredError: gradients for labels and predictions', async () => {
    await checkGradients(device, {
      inputs: [randomArray([3, 2], 91), randomArray([3, 2], 92)],
      build: ([labels, predictions]) => meanSquaredError(labels!, predictions!),
    });
    await checkGradients(device, {
      inputs: [randomArray([5], 93), randomArray([5], 94)],
      unknownShapes: true,
      build: ([labels, predictions]) => meanSquaredError(labels!, predictions!),
    });
  });

  it('biasAdd: bias gradient sums over all but the channel axis', async () => {
    await checkGradients(device, {
      inputs: [randomArray([3, 4], 95), randomArray([4], 96)],
      build: ([x, b]) => biasAdd(x!, b!),
    });
    await checkGradients(device, {
      inputs: [randomArray([2, 3, 2, 4], 97), randomArray([4], 98)],
      unknownShapes: true,
      build: ([x, b]) => biasAdd(x!, b!),
    });
  });

  it('cross-entropy gradients stay finite and exact for extreme logits', async () => {
    const g = new Graph();
    const grads = g.asDefault(() => {
      const logits = constant([
        [1000, -1000, 0],
        [-500, 500, 20],
      ]);
      const labels = constant([
        [0, 1, 0],
        [1, 0, 0],
      ]);
      const dense = gradients(reduceSum(softmaxCrossEntropyWithLogits({ labels, logits })), [logits])[0]!;
      const sparse = gradients(reduceSum(sparseSoftmaxCrossEntropyWithLogits({ labels: [1, 0], logits })), [
        logits,
      ])[0]!;
      const sigmoidLogits = constant([200, -200]);
      const binary = gradients(
        reduceSum(sigmoidCrossEntropyWithLogits({ labels: constant([0, 1]), logits: sigmoidLogits })),
        [sigmoidLogits],
      )[0]!;
      return [dense, sparse, binary];
    });
    const sess = new Session(g, { device });
    const [dense, sparse, binary] = await sess.run(grads);
    // softmax of each row is one-hot at its largest logit; the gradient is softmax - labels.
    expect(dense!.toArray()).toEqual([
      [1, -1, 0],
      [-1, 1, 0],
    ]);
    expect(sparse!.toArray()).toEqual([
      [1, -1, 0],
      [-1, 1, 0],
    ]);
    expect(binary!.toArray()).toEqual([1, -1]);
    sess.close();
  });
});
