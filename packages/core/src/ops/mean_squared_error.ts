import type { Tensor } from '../graph/tensor.js';
import { formatShape } from '../ndarray/shape.js';
import { mergeEqualShapes } from './cross_entropy.js';
import { buildOp1, requireDTypes, type OpOptions, type TensorLike } from './op_builder.js';

/**
 * Scalar mean of `(predictions - labels)^2` over every element (TF's
 * `losses.mean_squared_error` with the default reduction; 0 for empty inputs). The shapes must
 * be compatible. A fused op (`MeanSquaredError`, inputs [labels, predictions]).
 *
 * @example
 * const loss = meanSquaredError(y, predictions);
 */
export function meanSquaredError(labels: TensorLike, predictions: TensorLike, options: OpOptions = {}): Tensor {
  const type = 'MeanSquaredError';
  return buildOp1({
    type,
    inputs: [labels, predictions],
    options,
    dtypeHint: 'float32',
    infer: (inputs, opName) => {
      const [l, p] = inputs as [Tensor, Tensor];
      requireDTypes(l, ['float32'], opName, type);
      requireDTypes(p, ['float32'], opName, type);
      mergeEqualShapes(
        l.shape,
        p.shape,
        () =>
          `Shapes ${formatShape(p.shape)} and ${formatShape(l.shape)} are incompatible for '${opName}' (op: '${type}'): predictions and labels must have the same shape.`,
      );
      return [{ dtype: 'float32', shape: [] }];
    },
  });
}
