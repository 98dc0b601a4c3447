import type { DType } from '../../dtype.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { defineKernel, type KernelContext, type OpKernelContext, type OpKernelSpec } from '../../kernel_registry.js';
import { outputArray } from './kernel_memory.js';

/** `shape` filled with `value`, in the run's memory (fetched results are copies, so callers may write into theirs). @internal */
export function filled(ctx: KernelContext, dtype: DType, shape: readonly number[], value: number): NDArray {
  const out = outputArray(ctx, dtype, shape);
  out.data.fill(value);
  return out;
}

function fillKernel(_inputs: readonly NDArray[], ctx: OpKernelContext<'Fill'>): NDArray {
  return filled(ctx, ctx.attrs.dtype, ctx.attrs.shape, ctx.attrs.value);
}

function zerosLikeKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const x = inputs[0]!;
  return filled(ctx, x.dtype, x.shape, 0);
}

function onesLikeKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const x = inputs[0]!;
  return filled(ctx, x.dtype, x.shape, 1);
}

/** Fill (zeros, ones, fill) and the shape-of-input ZerosLike / OnesLike. */
export const fillCpuKernels: OpKernelSpec[] = [
  defineKernel('Fill', 'cpu', fillKernel),
  { opType: 'ZerosLike', device: 'cpu', kernel: zerosLikeKernel },
  { opType: 'OnesLike', device: 'cpu', kernel: onesLikeKernel },
];
