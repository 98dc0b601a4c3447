import { attrsOf, type OpType } from '../graph/op_types.js';
import type { Tensor } from '../graph/tensor.js';
import type { GradientFn } from './gradient_registry.js';
import { matMul } from '../ops/mat_mul.js';

/**
 * C = op(A)·op(B). Each case picks the product (with transposes folded into the matMul flags)
 * whose result already has the layout of the stored A or B, so no transpose op is needed.
 */
const matMulGrad: GradientFn = (op, [dy]) => {
  if (!dy) return [null, null];
  const [a, b] = op.inputs as [Tensor, Tensor];
  const { transposeA, transposeB } = attrsOf<'MatMul'>(op);
  const tA = transposeA === true;
  const tB = transposeB === true;
  if (!tA && !tB) return [matMul(dy, b, { transposeB: true }), matMul(a, dy, { transposeA: true })];
  if (tA && !tB) return [matMul(b, dy, { transposeB: true }), matMul(a, dy)];
  if (!tA && tB) return [matMul(dy, b), matMul(dy, a, { transposeA: true })];
  return [matMul(b, dy, { transposeA: true, transposeB: true }), matMul(dy, a, { transposeA: true, transposeB: true })];
};

export const matMulGradients: [OpType, GradientFn][] = [['MatMul', matMulGrad]];
