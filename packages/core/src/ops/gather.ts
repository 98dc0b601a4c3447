import type { Tensor } from '../graph/tensor.js';
import { buildOp1, requireDTypes, shapeError, type OpOptions, type TensorLike } from './op_builder.js';
import { requireIntegerAxis } from './axis_arg.js';
import { int32IdsInput } from './static_value.js';

/**
 * Picks slices of `x` along `axis` by int32 `indices`; the result's shape is
 * `x.shape[:axis] + indices.shape + x.shape[axis+1:]`. An index out of range fails at run time.
 *
 * @example
 * gather([[1, 2], [3, 4], [5, 6]], [2, 0]); // [[5, 6], [1, 2]]
 * gather(embeddings, tokenIds);
 */
export function gather(x: TensorLike, indices: TensorLike, axis = 0, options: OpOptions = {}): Tensor {
  requireIntegerAxis(axis, options.name ?? 'GatherV2');
  return buildOp1({
    type: 'GatherV2',
    // Plain index arrays become int32 constants; params keep their own dtype (float32 by default).
    inputs: [x, int32IdsInput(indices, `${options.name ?? 'GatherV2'}: indices`) as TensorLike],
    options,
    dtypeHint: 'none',
    attrs: { axis },
    infer: (inputs, opName) => {
      const [params, idx] = inputs as [Tensor, Tensor];
      requireDTypes(idx, ['int32'], opName, 'GatherV2');
      if (params.shape === null || idx.shape === null) return [{ dtype: params.dtype, shape: null }];
      const rank = params.shape.length;
      if (axis < -rank || axis >= rank) {
        throw shapeError(
          `Shape must be at least rank ${axis < 0 ? -axis : axis + 1} but is rank ${rank}`,
          opName,
          'GatherV2',
          inputs,
        );
      }
      const at = axis < 0 ? axis + rank : axis;
      return [
        { dtype: params.dtype, shape: [...params.shape.slice(0, at), ...idx.shape, ...params.shape.slice(at + 1)] },
      ];
    },
  });
}
