import { InvalidArgumentError } from '../errors.js';
import { nameScope } from '../graph/scopes.js';
import type { Tensor } from '../graph/tensor.js';
import { formatShape, type StaticShape } from '../ndarray/shape.js';
import { maximum, minimum } from './binary_ops.js';
import { broadcastStaticShapesN } from './broadcast_shape.js';
import { operandDTypeHint } from './operand_dtype.js';
import { type OpOptions, requireSameDTypes, resolveGraph, type TensorLike, toTensor } from './op_builder.js';

/**
 * Clamps x into [min, max] elementwise: `maximum(minimum(x, max), min)` under a
 * `clip_by_value` name scope, as TF1 builds it (so its gradient is the two ops' gradients).
 * The bounds may be scalars or broadcast to x's shape, but must not enlarge it.
 *
 * @example
 * clipByValue(predictions, 1e-7, 1 - 1e-7);
 */
export function clipByValue(x: TensorLike, min: TensorLike, max: TensorLike, options: OpOptions = {}): Tensor {
  const graph = resolveGraph([x, min, max]);
  const scope = options.name ?? 'clip_by_value';
  const t = toTensor(x, graph, operandDTypeHint([x, min, max]), `${scope} input x`);
  const lower = toTensor(min, graph, t.dtype, `${scope} clip_value_min`);
  const upper = toTensor(max, graph, t.dtype, `${scope} clip_value_max`);
  requireSameDTypes([t, lower, upper], scope, 'ClipByValue');
  const outShape = broadcastStaticShapesN([t.shape, lower.shape, upper.shape], scope, 'ClipByValue', [t, lower, upper]);
  if (enlarges(t.shape, outShape)) {
    throw new InvalidArgumentError(
      `clipByValue '${scope}': bounds of shapes ${formatShape(lower.shape)} and ${formatShape(upper.shape)} would broadcast x of shape ${formatShape(t.shape)} to ${formatShape(outShape)}; they must broadcast to x's shape`,
    );
  }
  return graph.asDefault(() => nameScope(scope, () => maximum(minimum(t, upper), lower)));
}

/** True when broadcasting provably changes x's static shape (unknown dims give the benefit of the doubt). */
function enlarges(xShape: StaticShape, outShape: StaticShape): boolean {
  if (xShape === null || outShape === null) return false;
  if (xShape.length !== outShape.length) return true;
  for (let i = 0; i < xShape.length; i++) {
    const d = xShape[i];
    if (d !== null && outShape[i] !== null && d !== outShape[i]) return true;
  }
  return false;
}
