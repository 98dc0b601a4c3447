import { InvalidArgumentError } from '../../errors.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { formatShape } from '../../ndarray/shape.js';
import { defineKernel, type OpKernelContext, type OpKernelSpec } from '../../kernel_registry.js';
import { matMulWithEpilogue } from './MatMul.js';

/**
 * MatMul + bias (+ relu) as one GEMM whose store adds the bias and applies the relu, so the
 * product is written once instead of three passes over it. Only plans create this op (the
 * remapper, session/remapper.ts), from MatMul -> BiasAdd|Add -> Relu chains of float32 rank-2
 * products. Inputs [a, b, bias]; attrs as MatMul's plus `relu`.
 */
function fusedMatMulKernel(inputs: readonly NDArray[], ctx: OpKernelContext<'_FusedMatMul'>): NDArray {
  const [a, b, bias] = inputs as [NDArray, NDArray, NDArray];
  const n = b.shape[ctx.attrs.transposeB === true ? 0 : 1];
  if (bias.rank !== 1 || bias.size !== n) {
    throw new InvalidArgumentError(
      `Must provide as many biases as the last dimension of the product: ${formatShape(bias.shape)} vs. ${n} columns (op '${ctx.op.name}')`,
    );
  }
  return matMulWithEpilogue(a, b, ctx, { bias: bias.data as Float32Array, relu: ctx.attrs.relu === true });
}

export const fusedMatMulCpuKernels: OpKernelSpec[] = [defineKernel('_FusedMatMul', 'cpu', fusedMatMulKernel)];
