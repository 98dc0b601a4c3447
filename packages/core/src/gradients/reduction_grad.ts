import { attrsOf, type OpType } from '../graph/op_types.js';
import type { Tensor } from '../graph/tensor.js';
import type { GradientFn } from './gradient_registry.js';
import { extremumReductionGrad, reductionGrad } from '../ops/reduction_grad_ops.js';

/*
 * Reductions: dy (with or without kept dims: same element order) is spread back over the
 * reduced axes. The fused ops read x's runtime shape, so unknown dims need no extra shape ops.
 */

const sumOrMean =
  (mode: 'sum' | 'mean'): GradientFn =>
  (op, [dy]) =>
    dy ? [reductionGrad(dy, op.inputs[0]!, attrsOf<'Sum' | 'Mean'>(op).axis ?? null, mode)] : [null];

const extremum: GradientFn = (op, [dy]) =>
  dy
    ? [extremumReductionGrad(op.inputs[0]! as Tensor, op.output, dy, attrsOf<'Max' | 'Min'>(op).axis ?? null)]
    : [null];

export const reductionGradients: [OpType, GradientFn][] = [
  ['Sum', sumOrMean('sum')],
  ['Mean', sumOrMean('mean')],
  ['Max', extremum],
  ['Min', extremum],
];
