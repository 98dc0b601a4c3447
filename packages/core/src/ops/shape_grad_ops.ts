import type { Tensor } from '../graph/tensor.js';
import { buildOp1, type OpOptions } from './op_builder.js';

/**
 * Gradient of Concat for input `index`: the slice of dy along `axis` that input occupied.
 * Takes every concatenated input (only their runtime shapes are read) to find the offset.
 */
export function concatGrad(
  dy: Tensor,
  xs: readonly Tensor[],
  axis: number,
  index: number,
  options: OpOptions = {},
): Tensor {
  return buildOp1({
    type: 'ConcatGrad',
    inputs: [dy, ...xs],
    options,
    attrs: { axis, index },
    infer: (inputs) => {
      const x = inputs[1 + index]!;
      return [{ dtype: inputs[0]!.dtype, shape: x.shape }];
    },
  });
}

/** Gradient of GatherV2 for params x: dy scatter-added into zeros of x's shape at `indices`. */
export function gatherGrad(dy: Tensor, indices: Tensor, x: Tensor, axis: number, options: OpOptions = {}): Tensor {
  return buildOp1({
    type: 'GatherGrad',
    inputs: [dy, indices, x],
    options,
    attrs: { axis },
    infer: ([g, , t]) => [{ dtype: g!.dtype, shape: t!.shape }],
  });
}

/** Gradient of Tile: dy summed over the tiles back into x's shape. */
export function tileGrad(dy: Tensor, x: Tensor, options: OpOptions = {}): Tensor {
  return buildOp1({
    type: 'TileGrad',
    inputs: [dy, x],
    options,
    infer: ([g, t]) => [{ dtype: g!.dtype, shape: t!.shape }],
  });
}
