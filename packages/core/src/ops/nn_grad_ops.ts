import type { Tensor } from '../graph/tensor.js';
import { buildOp1, type OpOptions } from './op_builder.js';
import { mergeStaticShapes } from './grad_support_ops.js';

function softmaxFamilyGrad(
  type: 'SoftmaxGrad' | 'LogSoftmaxGrad',
  y: Tensor,
  dy: Tensor,
  axis: number,
  options: OpOptions,
): Tensor {
  return buildOp1({
    type,
    inputs: [y, dy],
    options,
    attrs: { axis },
    infer: (inputs, opName) => [
      {
        dtype: 'float32',
        shape: mergeStaticShapes(
          inputs.map((t) => t.shape),
          opName,
          type,
          inputs,
        ),
      },
    ],
  });
}

/** dx = y · (dy - Σ_axis dy·y), y = softmax(x). */
export function softmaxGrad(y: Tensor, dy: Tensor, axis: number, options: OpOptions = {}): Tensor {
  return softmaxFamilyGrad('SoftmaxGrad', y, dy, axis, options);
}

/** dx = dy - exp(y) · Σ_axis dy, y = logSoftmax(x). */
export function logSoftmaxGrad(y: Tensor, dy: Tensor, axis: number, options: OpOptions = {}): Tensor {
  return softmaxFamilyGrad('LogSoftmaxGrad', y, dy, axis, options);
}

/** d mean((p - l)²) / dp = 2 (p - l) / n · dy, n the element count; output has p's shape. */
export function meanSquaredErrorGrad(labels: Tensor, predictions: Tensor, dy: Tensor, options: OpOptions = {}): Tensor {
  return buildOp1({
    type: 'MeanSquaredErrorGrad',
    inputs: [labels, predictions, dy],
    options,
    infer: (inputs, opName) => [
      {
        dtype: 'float32',
        shape: mergeStaticShapes([inputs[0]!.shape, inputs[1]!.shape], opName, 'MeanSquaredErrorGrad', inputs),
      },
    ],
  });
}
