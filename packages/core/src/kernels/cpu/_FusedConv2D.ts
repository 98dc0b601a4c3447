import { InvalidArgumentError } from '../../errors.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { formatShape } from '../../ndarray/shape.js';
import { defineKernel, type OpKernelContext, type OpKernelSpec } from '../../kernel_registry.js';
import { conv2dWithEpilogue } from './Conv2D.js';

/**
 * Conv2D + bias (+ relu) as one im2col + GEMM pass whose store adds the bias and applies the
 * relu. Only plans create this op (the remapper, session/remapper.ts), from Conv2D ->
 * BiasAdd|Add -> Relu chains. Inputs [x, filter, bias]; attrs as Conv2D's plus `relu`.
 */
function fusedConv2dKernel(inputs: readonly NDArray[], ctx: OpKernelContext<'_FusedConv2D'>): NDArray {
  const [x, filter, bias] = inputs as [NDArray, NDArray, NDArray];
  if (bias.rank !== 1 || filter.rank !== 4 || bias.size !== filter.shape[3]) {
    throw new InvalidArgumentError(
      `Must provide as many biases as the filter's output channels: ${formatShape(bias.shape)} vs. filter ${formatShape(filter.shape)} (op '${ctx.op.name}')`,
    );
  }
  return conv2dWithEpilogue(x, filter, ctx, { bias: bias.data as Float32Array, relu: ctx.attrs.relu === true });
}

export const fusedConv2dCpuKernels: OpKernelSpec[] = [defineKernel('_FusedConv2D', 'cpu', fusedConv2dKernel)];
