import { InvalidArgumentError } from '../errors.js';
import type { Tensor } from '../graph/tensor.js';
import { buildOp1, requireDTypes, type OpOptions, type TensorLike } from './op_builder.js';

/**
 * float32 one-hot rows: `out[..., j] = indices[...] == j ? 1 : 0`; an index outside
 * [0, depth) gives a row of zeros, as in TF.
 *
 * @example
 * oneHot([0, 2], 3); // [[1, 0, 0], [0, 0, 1]]
 */
export function oneHot(indices: TensorLike, depth: number, options: OpOptions = {}): Tensor {
  if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 0) {
    throw new InvalidArgumentError(
      `${options.name ?? 'OneHot'}: depth must be a non-negative integer, got ${JSON.stringify(depth)}`,
    );
  }
  return buildOp1({
    type: 'OneHot',
    inputs: [indices],
    options,
    dtypeHint: 'int32',
    attrs: { depth },
    infer: (inputs, opName) => {
      const t = inputs[0]!;
      requireDTypes(t, ['int32'], opName, 'OneHot');
      return [{ dtype: 'float32', shape: t.shape === null ? null : [...t.shape, depth] }];
    },
  });
}
