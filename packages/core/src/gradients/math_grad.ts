import type { OpType } from '../graph/op_types.js';
import type { Tensor } from '../graph/tensor.js';
import { div, mul, pow, sub } from '../ops/binary_ops.js';
import { greater, greaterEqual, less, lessEqual } from '../ops/comparison_ops.js';
import { zerosLike } from '../ops/fill_ops.js';
import { log, neg, sign } from '../ops/unary_ops.js';
import { where } from '../ops/where.js';
import type { GradientFn } from './gradient_registry.js';
import { reluGrad, sigmoidGrad, tanhGrad } from '../ops/activation_grad_ops.js';
import { sumToShape } from '../ops/grad_support_ops.js';

/*
 * Gradients of the elementwise ops. Binary ops broadcast, so each input's gradient is summed
 * back to that input's (runtime) shape with sumToShape.
 */

type Grads = [Tensor | null, Tensor | null];

function binary(fn: (dy: Tensor, a: Tensor, b: Tensor, y: Tensor) => Grads): GradientFn {
  return (op, [dy]) => {
    if (!dy) return [null, null];
    const [a, b] = op.inputs as [Tensor, Tensor];
    const [ga, gb] = fn(dy, a, b, op.output);
    return [ga && sumToShape(ga, a), gb && sumToShape(gb, b)];
  };
}

function unary(fn: (dy: Tensor, x: Tensor, y: Tensor) => Tensor | null): GradientFn {
  return (op, [dy]) => (dy ? [fn(dy, op.inputs[0]!, op.output)] : [null]);
}

/** dy where `mask` holds, else 0. */
function masked(mask: Tensor, dy: Tensor): Tensor {
  return where(mask, dy, zerosLike(dy));
}

export const mathGradients: [OpType, GradientFn][] = [
  ['Add', binary((dy) => [dy, dy])],
  ['Sub', binary((dy) => [dy, neg(dy)])],
  ['Mul', binary((dy, a, b) => [mul(dy, b), mul(dy, a)])],
  // d(a/b)/db = -(a/b)/b, reusing the forward output.
  ['Div', binary((dy, _a, b, y) => [div(dy, b), neg(div(mul(dy, y), b))])],
  // d(a^b)/db = a^b·log(a), taken as 0 where a <= 0 (as TF does) to avoid NaN from log.
  [
    'Pow',
    binary((dy, a, b, y) => [
      mul(dy, mul(b, pow(a, sub(b, 1)))),
      mul(dy, where(greater(a, 0), mul(y, log(a)), zerosLike(y))),
    ]),
  ],
  // Ties go to the first input, as in TF.
  ['Maximum', binary((dy, a, b) => [masked(greaterEqual(a, b), dy), masked(less(a, b), dy)])],
  ['Minimum', binary((dy, a, b) => [masked(lessEqual(a, b), dy), masked(greater(a, b), dy)])],
  ['Neg', unary((dy) => neg(dy))],
  ['Abs', unary((dy, x) => mul(dy, sign(x)))],
  ['Exp', unary((dy, _x, y) => mul(dy, y))],
  ['Log', unary((dy, x) => div(dy, x))],
  ['Sqrt', unary((dy, _x, y) => div(mul(dy, 0.5), y))],
  ['Square', unary((dy, x) => mul(dy, mul(x, 2)))],
  ['Reciprocal', unary((dy, _x, y) => neg(mul(dy, mul(y, y))))],
  ['Rsqrt', unary((dy, _x, y) => mul(dy, mul(mul(y, mul(y, y)), -0.5)))],
  ['Relu', unary((dy, _x, y) => reluGrad(dy, y))],
  ['Sigmoid', unary((dy, _x, y) => sigmoidGrad(y, dy))],
  ['Tanh', unary((dy, _x, y) => tanhGrad(y, dy))],
  // Only float -> float casts carry a gradient; int/bool inputs never receive one.
  ['Cast', unary((dy) => dy)],
  [
    'Select',
    (op, [dy]) => {
      if (!dy) return [null, null, null];
      const [cond, a, b] = op.inputs as [Tensor, Tensor, Tensor];
      const zeros = zerosLike(dy);
      return [null, sumToShape(where(cond, dy, zeros), a), sumToShape(where(cond, zeros, dy), b)];
    },
  ],
];
