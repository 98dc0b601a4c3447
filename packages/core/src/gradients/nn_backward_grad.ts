import { attrsOf, type OpType } from '../graph/op_types.js';
import type { Tensor } from '../graph/tensor.js';
import { mul, sub } from '../ops/binary_ops.js';
import { onesLike, zerosLike } from '../ops/fill_ops.js';
import { reduceSum } from '../ops/reduction_ops.js';
import { exp, neg } from '../ops/unary_ops.js';
import type { GradientFn } from './gradient_registry.js';
import { meanSquaredErrorGrad, softmaxGrad } from '../ops/nn_grad_ops.js';

/*
 * Gradients of the softmax-family and mean-squared-error backward ops, for second-order
 * gradients, from differentiating their formulas (g is the gradient of their output).
 */

export const nnBackwardGradients: [OpType, GradientFn][] = [
  // dx = y (dy - s), s = Σ dy·y: d/ddy = SoftmaxGrad(y, g); d/dy = g (dy - s) - dy Σ g·y.
  [
    'SoftmaxGrad',
    (op, [g]) => {
      if (!g) return [null, null];
      const [y, dy] = op.inputs as [Tensor, Tensor];
      const axis = attrsOf<'SoftmaxGrad'>(op).axis;
      const s = reduceSum(mul(dy, y), axis, true);
      const t = reduceSum(mul(g, y), axis, true);
      return [sub(mul(g, sub(dy, s)), mul(dy, t)), softmaxGrad(y, g, axis)];
    },
  ],
  // dx = dy - p Σ dy, p = exp(y): d/ddy = g - Σ g·p; d/dy = -g p Σ dy.
  [
    'LogSoftmaxGrad',
    (op, [g]) => {
      if (!g) return [null, null];
      const [y, dy] = op.inputs as [Tensor, Tensor];
      const axis = attrsOf<'LogSoftmaxGrad'>(op).axis;
      const p = exp(y);
      return [neg(mul(mul(g, p), reduceSum(dy, axis, true))), sub(g, reduceSum(mul(g, p), axis, true))];
    },
  ],
  // dp = 2 (p - l) / n · dy: d/dp = 2 g dy / n (the op on (0, g)), d/dl = -d/dp, d/ddy = Σ g · 2 (p - l) / n.
  [
    'MeanSquaredErrorGrad',
    (op, [g]) => {
      if (!g) return [null, null, null];
      const [labels, predictions, dy] = op.inputs as [Tensor, Tensor, Tensor];
      const dPredictions = meanSquaredErrorGrad(zerosLike(g), g, dy);
      const dDy = reduceSum(mul(g, meanSquaredErrorGrad(labels, predictions, onesLike(dy))));
      return [neg(dPredictions), dPredictions, dDy];
    },
  ],
];
