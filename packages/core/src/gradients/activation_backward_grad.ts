import type { OpType } from '../graph/op_types.js';
import type { Tensor } from '../graph/tensor.js';
import { mul, sub } from '../ops/binary_ops.js';
import type { GradientFn } from './gradient_registry.js';
import { reluGrad, sigmoidGrad, tanhGrad } from '../ops/activation_grad_ops.js';

/*
 * Gradients of the fused activation backward ops, for second-order gradients. Each is linear in
 * its incoming gradient dy, so d/d(dy) is the same op applied to the new gradient g; the
 * derivative through the forward output y is the product rule (TF's *GradGrad).
 */

export const activationBackwardGradients: [OpType, GradientFn][] = [
  // ReluGrad(dy, y) = dy · [y > 0]: piecewise constant in y.
  ['ReluGrad', (op, [g]) => (g ? [reluGrad(g, op.inputs[1]!), null] : [null, null])],
  // SigmoidGrad(y, dy) = dy · y (1 - y): d/dy = g · dy · (1 - 2y).
  [
    'SigmoidGrad',
    (op, [g]) => {
      if (!g) return [null, null];
      const [y, dy] = op.inputs as [Tensor, Tensor];
      return [mul(mul(g, dy), sub(1, mul(y, 2))), sigmoidGrad(y, g)];
    },
  ],
  // TanhGrad(y, dy) = dy · (1 - y²): d/dy = g · dy · (-2y).
  [
    'TanhGrad',
    (op, [g]) => {
      if (!g) return [null, null];
      const [y, dy] = op.inputs as [Tensor, Tensor];
      return [mul(mul(g, dy), mul(y, -2)), tanhGrad(y, g)];
    },
  ],
];
