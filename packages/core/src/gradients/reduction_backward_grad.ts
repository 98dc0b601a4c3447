import { attrsOf, type OpType } from '../graph/op_types.js';
import type { Tensor } from '../graph/tensor.js';
import { mul } from '../ops/binary_ops.js';
import { onesLike } from '../ops/fill_ops.js';
import { reduceMean, reduceSum, type ReductionAxis } from '../ops/reduction_ops.js';
import { reshapeLike } from './reshape_like.js';
import type { GradientFn } from './gradient_registry.js';
import { extremumReductionGrad } from '../ops/reduction_grad_ops.js';

/*
 * Gradients of the reduction backward ops, for second-order gradients. Both spread dy over the
 * reduced axes linearly, so d/d(dy) is the adjoint: reduce the new gradient g back over those
 * axes, shaped like dy (with or without kept dims). x (read for its shape) and the forward max
 * (an indicator) get none.
 */

function axesOf(attr: unknown): ReductionAxis {
  return attr === undefined || attr === null ? null : (attr as number | number[]);
}

export const reductionBackwardGradients: [OpType, GradientFn][] = [
  // ReductionGrad(dy, x): dy broadcast over the axes (divided by the group size for a mean).
  [
    'ReductionGrad',
    (op, [g]) => {
      if (!g) return [null, null];
      const dy = op.inputs[0]!;
      const { axis, mode } = attrsOf<'ReductionGrad'>(op);
      const axes = axesOf(axis);
      const reduced = mode === 'mean' ? reduceMean(g, axes) : reduceSum(g, axes);
      return [reshapeLike(reduced, dy), null];
    },
  ],
  // ExtremumReductionGrad(x, y, dy) = broadcast(dy) · w, w = [x = y] / ties (= the op applied to ones).
  [
    'ExtremumReductionGrad',
    (op, [g]) => {
      if (!g) return [null, null, null];
      const [x, y, dy] = op.inputs as [Tensor, Tensor, Tensor];
      const { axis } = attrsOf<'ExtremumReductionGrad'>(op);
      const axes = axesOf(axis);
      const weights = extremumReductionGrad(x, y, onesLike(dy), axis ?? null);
      return [null, null, reshapeLike(reduceSum(mul(g, weights), axes), dy)];
    },
  ],
];
