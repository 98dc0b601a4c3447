import type { OpType } from '../graph/op_types.js';
import type { Tensor } from '../graph/tensor.js';
import { buildOp1, requireSameDTypes, type OpOptions } from './op_builder.js';
import { mergeStaticShapes } from './grad_support_ops.js';

/** A fused elementwise backward op of two same-shaped inputs. */
function elementwiseGradOp(type: OpType, a: Tensor, b: Tensor, options: OpOptions): Tensor {
  return buildOp1({
    type,
    inputs: [a, b],
    options,
    infer: (inputs, opName) => {
      const dtype = requireSameDTypes(inputs, opName, type);
      return [
        {
          dtype,
          shape: mergeStaticShapes(
            inputs.map((t) => t.shape),
            opName,
            type,
            inputs,
          ),
        },
      ];
    },
  });
}

/** dy where the relu output y is positive, else 0. */
export function reluGrad(dy: Tensor, y: Tensor, options: OpOptions = {}): Tensor {
  return elementwiseGradOp('ReluGrad', dy, y, options);
}

/** dy · y · (1 - y), y = sigmoid(x). */
export function sigmoidGrad(y: Tensor, dy: Tensor, options: OpOptions = {}): Tensor {
  return elementwiseGradOp('SigmoidGrad', y, dy, options);
}

/** dy · (1 - y²), y = tanh(x). */
export function tanhGrad(y: Tensor, dy: Tensor, options: OpOptions = {}): Tensor {
  return elementwiseGradOp('TanhGrad', y, dy, options);
}
