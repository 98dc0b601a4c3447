import type { Tensor } from '../graph/tensor.js';
import { isFullyDefined } from '../ndarray/shape.js';
import { reshape } from '../ops/reshape.js';
import { shape } from '../ops/shape_ops.js';

/** `value` reshaped to `like`'s shape (static when known, else read at run time). @internal */
export function reshapeLike(value: Tensor, like: Tensor): Tensor {
  return reshape(value, isFullyDefined(like.shape) ? like.shape : shape(like));
}
