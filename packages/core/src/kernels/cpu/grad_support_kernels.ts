import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { formatShape, shapesEqual } from '../../ndarray/shape.js';
import { defineKernel, type KernelContext, type OpKernelContext, type OpKernelSpec } from '../../kernel_registry.js';
import { activationGradCpuKernels } from './activation_grad_kernels.js';
import { reductionGradCpuKernels } from './reduction_grad_kernels.js';
import { shapeGradCpuKernels } from './shape_grad_kernels.js';
import { nnGradCpuKernels } from './nn_grad_kernels.js';
import { convGradCpuKernels } from './conv_grad_kernels.js';
import { maxPoolGradGradCpuKernels } from './MaxPoolGradGrad.js';
import { filled } from './fill_kernels.js';
import { sumToShapeCpuKernels } from './SumToShape.js';
import { outputData } from './kernel_memory.js';

function addNKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const first = inputs[0]!;
  for (const other of inputs) {
    if (!shapesEqual(other.shape, first.shape)) {
      throw new InvalidArgumentError(
        `AddN '${ctx.op.name}': inputs must all have shape ${formatShape(first.shape)}, got ${formatShape(other.shape)}`,
      );
    }
  }
  const out = outputData(ctx, first.dtype, first.size);
  out.set(first.data);
  for (let k = 1; k < inputs.length; k++) {
    const src = inputs[k]!.data;
    for (let i = 0; i < out.length; i++) out[i] = out[i]! + src[i]!;
  }
  return new NDArray(first.dtype, first.shape, out);
}

function fillLikeKernel(inputs: readonly NDArray[], ctx: OpKernelContext<'FillLike'>): NDArray {
  return filled(ctx, ctx.attrs.dtype, inputs[0]!.shape, ctx.attrs.value);
}

/**
 * Kernels of the ops that only gradients build: summing contributions, un-broadcasting, seeds,
 * and (from the other Grad files) the fused backward ops.
 */
export const gradSupportCpuKernels: OpKernelSpec[] = [
  ...sumToShapeCpuKernels,
  { opType: 'AddN', device: 'cpu', kernel: addNKernel },
  defineKernel('FillLike', 'cpu', fillLikeKernel),
  ...activationGradCpuKernels,
  ...reductionGradCpuKernels,
  ...shapeGradCpuKernels,
  ...nnGradCpuKernels,
  ...convGradCpuKernels,
  ...maxPoolGradGradCpuKernels,
];
