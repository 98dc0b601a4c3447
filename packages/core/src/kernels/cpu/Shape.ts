import { NDArray } from '../../ndarray/ndarray.js';
import type { KernelContext, OpKernelSpec } from '../../kernel_registry.js';
import { outputData } from './kernel_memory.js';

function shapeKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const x = inputs[0]!;
  const out = outputData(ctx, 'int32', x.rank);
  for (let i = 0; i < x.rank; i++) out[i] = x.shape[i]!;
  return new NDArray('int32', [x.rank], out);
}

function sizeKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const out = outputData(ctx, 'int32', 1);
  out[0] = inputs[0]!.size;
  return new NDArray('int32', [], out);
}

export const shapeCpuKernels: OpKernelSpec[] = [
  { opType: 'Shape', device: 'cpu', kernel: shapeKernel },
  { opType: 'Size', device: 'cpu', kernel: sizeKernel },
];
