import { allocTypedArray, type DType } from '../../dtype.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { shapeSize } from '../../ndarray/shape.js';
import type { KernelContext, KernelSpec } from '../kernel_registry.js';

/** A fresh array every run: fetched results are handed to callers, who may write into them. @internal */
export function filled(dtype: DType, shape: readonly number[], value: number): NDArray {
  const data = allocTypedArray(dtype, shapeSize(shape));
  if (value !== 0) data.fill(value);
  return new NDArray(dtype, shape, data);
}

function fillKernel(_inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  return filled(ctx.attrs['dtype'] as DType, ctx.attrs['shape'] as number[], ctx.attrs['value'] as number);
}

function zerosLikeKernel(inputs: readonly NDArray[]): NDArray {
  const x = inputs[0]!;
  return filled(x.dtype, x.shape, 0);
}

function onesLikeKernel(inputs: readonly NDArray[]): NDArray {
  const x = inputs[0]!;
  return filled(x.dtype, x.shape, 1);
}

/** Fill (zeros, ones, fill) and the shape-of-input ZerosLike / OnesLike. */
export const fillCpuKernels: KernelSpec[] = [
  { opType: 'Fill', device: 'cpu', kernel: fillKernel },
  { opType: 'ZerosLike', device: 'cpu', kernel: zerosLikeKernel },
  { opType: 'OnesLike', device: 'cpu', kernel: onesLikeKernel },
];
