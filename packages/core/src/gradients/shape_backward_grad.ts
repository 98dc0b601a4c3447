import { attrsOf, type OpType } from '../graph/op_types.js';
import type { Tensor } from '../graph/tensor.js';
import { isFullyDefined } from '../ndarray/shape.js';
import { div } from '../ops/binary_ops.js';
import { concat } from '../ops/concat.js';
import { zerosLike } from '../ops/fill_ops.js';
import { gather } from '../ops/gather.js';
import { broadcastTo, shape, tile } from '../ops/shape_ops.js';
import type { GradientFn } from './gradient_registry.js';

/*
 * Gradients of the gradient-support ops that move values around, for second-order gradients.
 * Each is linear in its gradient input, so the derivative is its adjoint; inputs read only for
 * their shape (or integer indices) get none.
 */

export const shapeBackwardGradients: [OpType, GradientFn][] = [
  // Sums over broadcast axes; the adjoint broadcasts back to the summed tensor's shape.
  ['SumToShape', (op, [g]) => (g ? [broadcastTo(g, shape(op.inputs[0]!)), null] : [null, null])],
  // Scatter-adds dy rows into x's shape; the adjoint gathers them back.
  [
    'GatherGrad',
    (op, [g]) => (g ? [gather(g, op.inputs[1]!, attrsOf<'GatherGrad'>(op).axis), null, null] : [null, null, null]),
  ],
  // Takes input `index`'s slice of dy; the adjoint places g there between zeros.
  [
    'ConcatGrad',
    (op, [g]) => {
      const [, ...xs] = op.inputs;
      if (!g) return op.inputs.map(() => null);
      const { index, axis } = attrsOf<'ConcatGrad'>(op);
      const parts = xs.map((x, i) => (i === index ? g : zerosLike(x)));
      return [concat(parts, axis), ...xs.map(() => null)];
    },
  ],
  // Sums dy's tiles into x's shape; the adjoint tiles g again (multiples = dy's shape / x's shape).
  [
    'TileGrad',
    (op, [g]) => {
      if (!g) return [null, null];
      const [dy, x] = op.inputs as [Tensor, Tensor];
      const known = isFullyDefined(dy.shape) && isFullyDefined(x.shape);
      // Static multiples when both shapes are known (no int32 arithmetic op in the graph).
      const multiples = known
        ? dy.shape!.map((d, i) => (x.shape![i] === 0 ? 1 : d! / x.shape![i]!))
        : div(shape(dy), shape(x));
      return [tile(g, multiples), null];
    },
  ],
];
