import { NDArray } from '../../ndarray/ndarray.js';
import { defineKernel, type OpKernelSpec, type OpKernelContext } from '../../kernel_registry.js';
import { outputData } from './kernel_memory.js';

function oneHotKernel(inputs: readonly NDArray[], ctx: OpKernelContext<'OneHot'>): NDArray {
  const indices = inputs[0]!;
  const depth = ctx.attrs.depth;
  const idx = indices.data;
  const out = outputData(ctx, 'float32', idx.length * depth);
  out.fill(0);
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i]!;
    // Out-of-range indices leave an all-zero row, as in TF.
    if (v >= 0 && v < depth) out[i * depth + v] = 1;
  }
  return new NDArray('float32', [...indices.shape, depth], out);
}

export const oneHotCpuKernels: OpKernelSpec[] = [defineKernel('OneHot', 'cpu', oneHotKernel)];
