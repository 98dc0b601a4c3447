import type { Tensor } from '../graph/tensor.js';
import {
  buildOp1,
  requireDTypes,
  requireSameDTypes,
  shapeError,
  type OpOptions,
  type TensorLike,
} from './op_builder.js';

/**
 * Adds a 1-D `bias` along the last dim of `x` (rank >= 2 in TF; any rank >= 1 here).
 *
 * @example
 * biasAdd(matMul(x, w), b);
 */
export function biasAdd(x: TensorLike, bias: TensorLike, options: OpOptions = {}): Tensor {
  return buildOp1({
    type: 'BiasAdd',
    inputs: [x, bias],
    options,
    infer: (inputs, opName) => {
      const [t, b] = inputs as [Tensor, Tensor];
      const dtype = requireSameDTypes(inputs, opName, 'BiasAdd');
      requireDTypes(t, ['float32', 'int32'], opName, 'BiasAdd');
      if (b.shape !== null && b.shape.length !== 1)
        throw shapeError(`Shape must be rank 1 but is rank ${b.shape.length}`, opName, 'BiasAdd', inputs);
      if (t.shape === null) return [{ dtype, shape: null }];
      if (t.shape.length === 0)
        throw shapeError('Shape must be at least rank 1 but is rank 0', opName, 'BiasAdd', inputs);
      const last = t.shape[t.shape.length - 1]!;
      const channels = b.shape === null ? null : b.shape[0]!;
      if (last !== null && channels !== null && last !== channels) {
        throw shapeError(`Dimensions must be equal, but are ${last} and ${channels}`, opName, 'BiasAdd', inputs);
      }
      const shape = t.shape.slice();
      shape[shape.length - 1] = last ?? channels;
      return [{ dtype, shape }];
    },
  });
}
