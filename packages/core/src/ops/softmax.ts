import type { Tensor } from '../graph/tensor.js';
import { buildOp1, requireDTypes, shapeError, type OpOptions, type TensorLike } from './op_builder.js';
import { requireIntegerAxis } from './axis_arg.js';

function softmaxFamily(type: 'Softmax' | 'LogSoftmax', logits: TensorLike, axis: number, options: OpOptions): Tensor {
  requireIntegerAxis(axis, options.name ?? type);
  return buildOp1({
    type,
    inputs: [logits],
    options,
    attrs: { axis },
    infer: (inputs, opName) => {
      const t = inputs[0]!;
      requireDTypes(t, ['float32'], opName, type);
      if (t.shape !== null) {
        const rank = t.shape.length;
        if (rank === 0) throw shapeError('Shape must be at least rank 1 but is rank 0', opName, type, inputs);
        if (axis < -rank || axis >= rank) {
          throw shapeError(
            `Dimension (${axis}) must be in the range [${-rank}, ${rank}), where ${rank} is the number of dimensions in the input`,
            opName,
            type,
            inputs,
          );
        }
      }
      return [{ dtype: t.dtype, shape: t.shape }];
    },
  });
}

/**
 * `exp(x) / sum(exp(x))` along `axis` (default the last), computed stably (the max is
 * subtracted first).
 *
 * @example
 * softmax([[1, 2, 3]]); // [[0.090, 0.245, 0.665]]
 */
export function softmax(logits: TensorLike, axis = -1, options: OpOptions = {}): Tensor {
  return softmaxFamily('Softmax', logits, axis, options);
}

/** `x - log(sum(exp(x)))` along `axis` (default the last), stable for large logits. */
export function logSoftmax(logits: TensorLike, axis = -1, options: OpOptions = {}): Tensor {
  return softmaxFamily('LogSoftmax', logits, axis, options);
}
