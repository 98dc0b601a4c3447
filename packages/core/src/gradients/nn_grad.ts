import { attrsOf, type OpType } from '../graph/op_types.js';
import type { Tensor } from '../graph/tensor.js';
import { add, mul, sub } from '../ops/binary_ops.js';
import { expandDims } from '../ops/expand_squeeze.js';
import { neg } from '../ops/unary_ops.js';
import { sigmoid } from '../ops/activations.js';
import { logSoftmax, softmax } from '../ops/softmax.js';
import type { GradientFn } from './gradient_registry.js';
import { sumToShape } from '../ops/grad_support_ops.js';
import { logSoftmaxGrad, meanSquaredErrorGrad, softmaxGrad } from '../ops/nn_grad_ops.js';
import { conv2DBackpropFilter, conv2DBackpropInput, maxPoolGrad } from '../ops/conv_grad_ops.js';

/*
 * The cross-entropy ops compute softmax(logits) - labels in their forward pass (output 1, as
 * TF's kernels do), so the logits gradient is one broadcast multiply with the per-example dy.
 * A gradient reaching output 1 itself (second-order gradients differentiate the first-order
 * ones, which read it) flows through softmax(logits) - labels: SoftmaxGrad for the logits,
 * minus itself for dense labels (TF's grad_grad term).
 */

/** Adds the parts that exist (null when none does). */
function sum(parts: readonly (Tensor | null)[]): Tensor | null {
  const present = parts.filter((p): p is Tensor => p !== null);
  return present.length === 0 ? null : present.reduce((a, b) => add(a, b));
}

const softmaxCrossEntropy: GradientFn = (op, [dLoss, dBackprop]) => {
  const [logits] = op.inputs as [Tensor, Tensor];
  const perExample = dLoss ? expandDims(dLoss, -1) : null;
  const viaBackprop = dBackprop ? softmaxGrad(softmax(logits), dBackprop, -1) : null;
  return [
    sum([perExample && mul(perExample, op.outputs[1]!), viaBackprop]),
    sum([perExample && mul(perExample, neg(logSoftmax(logits))), dBackprop ? neg(dBackprop) : null]),
  ];
};

const sparseSoftmaxCrossEntropy: GradientFn = (op, [dLoss, dBackprop]) => {
  const logits = op.inputs[0]!;
  const viaLoss = dLoss ? mul(expandDims(dLoss, -1), op.outputs[1]!) : null;
  return [sum([viaLoss, dBackprop ? softmaxGrad(softmax(logits), dBackprop, -1) : null]), null];
};

// loss = max(x, 0) - x·z + log(1 + e^-|x|): d/dx = sigmoid(x) - z, d/dz = -x.
const sigmoidCrossEntropy: GradientFn = (op, [dy]) => {
  if (!dy) return [null, null];
  const [logits, labels] = op.inputs as [Tensor, Tensor];
  return [mul(dy, sub(sigmoid(logits), labels)), mul(dy, neg(logits))];
};

export const nnGradients: [OpType, GradientFn][] = [
  ['Softmax', (op, [dy]) => [dy ? softmaxGrad(op.output, dy, attrsOf<'Softmax'>(op).axis) : null]],
  ['LogSoftmax', (op, [dy]) => [dy ? logSoftmaxGrad(op.output, dy, attrsOf<'LogSoftmax'>(op).axis) : null]],
  ['SoftmaxCrossEntropyWithLogits', softmaxCrossEntropy],
  ['SparseSoftmaxCrossEntropyWithLogits', sparseSoftmaxCrossEntropy],
  ['SigmoidCrossEntropyWithLogits', sigmoidCrossEntropy],
  [
    'MeanSquaredError',
    (op, [dy]) => {
      if (!dy) return [null, null];
      const [labels, predictions] = op.inputs as [Tensor, Tensor];
      const dPredictions = meanSquaredErrorGrad(labels, predictions, dy);
      return [neg(dPredictions), dPredictions];
    },
  ],
  [
    'Conv2D',
    (op, [dy]) => {
      if (!dy) return [null, null];
      const [x, filter] = op.inputs as [Tensor, Tensor];
      const attrs = attrsOf<'Conv2D'>(op);
      return [conv2DBackpropInput(x, filter, dy, attrs), conv2DBackpropFilter(x, filter, dy, attrs)];
    },
  ],
  ['MaxPool', (op, [dy]) => [dy ? maxPoolGrad(op.inputs[0]!, dy, attrsOf<'MaxPool'>(op)) : null]],
  // The bias gradient sums dy over every axis but the channel (last) one.
  ['BiasAdd', (op, [dy]) => (dy ? [dy, sumToShape(dy, op.inputs[1]!)] : [null, null])],
];
