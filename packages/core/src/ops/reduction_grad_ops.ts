import type { Tensor } from '../graph/tensor.js';
import type { AttrValue } from '../graph/operation.js';
import { buildOp1, type OpOptions } from './op_builder.js';

/**
 * Gradient of Sum/Mean: spreads dy (the reduced value, with or without kept dims) back over the
 * reduced `axes` of x (null = all), divided by the group size for 'mean'. Output: x's shape.
 */
export function reductionGrad(
  dy: Tensor,
  x: Tensor,
  axes: AttrValue,
  mode: 'sum' | 'mean',
  options: OpOptions = {},
): Tensor {
  return buildOp1({
    type: 'ReductionGrad',
    inputs: [dy, x],
    options,
    attrs: { axis: axes as number[] | null, mode },
    infer: ([g, t]) => [{ dtype: g!.dtype, shape: t!.shape }],
  });
}

/**
 * Gradient of Max/Min: dy goes to the elements of x equal to the reduced value y, shared
 * equally between ties (as TF does). Output: x's shape.
 */
export function extremumReductionGrad(
  x: Tensor,
  y: Tensor,
  dy: Tensor,
  axes: AttrValue,
  options: OpOptions = {},
): Tensor {
  return buildOp1({
    type: 'ExtremumReductionGrad',
    inputs: [x, y, dy],
    options,
    attrs: { axis: axes as number[] | null },
    infer: ([t, , g]) => [{ dtype: g!.dtype, shape: t!.shape }],
  });
}
