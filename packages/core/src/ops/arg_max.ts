import type { Tensor } from '../graph/tensor.js';
import { buildOp1, requireDTypes, shapeError, type OpOptions, type TensorLike } from './op_builder.js';
import { requireIntegerAxis } from './axis_arg.js';

/**
 * Index of the largest value along `axis` (first one on ties), as int32 (TF's default is int64).
 *
 * @example
 * argMax([[1, 9, 3], [7, 2, 7]], 1); // [1, 0]
 */
export function argMax(x: TensorLike, axis: number, options: OpOptions = {}): Tensor {
  requireIntegerAxis(axis, options.name ?? 'ArgMax');
  return buildOp1({
    type: 'ArgMax',
    inputs: [x],
    options,
    attrs: { axis },
    infer: (inputs, opName) => {
      const t = inputs[0]!;
      requireDTypes(t, ['float32', 'int32'], opName, 'ArgMax');
      if (t.shape === null) return [{ dtype: 'int32', shape: null }];
      const rank = t.shape.length;
      if (axis < -rank || axis >= rank) {
        throw shapeError(
          `Expected dimension in the range [${-rank}, ${rank}), but got ${axis}`,
          opName,
          'ArgMax',
          inputs,
        );
      }
      const normal = axis < 0 ? axis + rank : axis;
      return [{ dtype: 'int32', shape: t.shape.filter((_, i) => i !== normal) }];
    },
  });
}
