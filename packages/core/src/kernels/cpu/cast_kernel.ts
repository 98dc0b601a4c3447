import type { DType, TypedArray } from '../../dtype.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { defineKernel, type OpKernelSpec, type OpKernelContext } from '../../kernel_registry.js';
import { outputData } from './kernel_memory.js';

/**
 * float32 -> int32 truncates toward zero (NaN becomes 0, out-of-range values wrap modulo 2^32);
 * anything -> bool is `x != 0` (so NaN is true); bool -> numbers gives 0/1.
 */
function castKernel(inputs: readonly NDArray[], ctx: OpKernelContext<'Cast'>): NDArray {
  const x = inputs[0]!;
  const dtype = ctx.attrs.dtype;
  if (x.dtype === dtype) return x;
  const out = outputData(ctx, dtype, x.size);
  convertInto(x.data, out, dtype);
  return new NDArray(dtype, x.shape, out);
}

function convertInto(data: TypedArray, out: TypedArray, dtype: DType): void {
  if (dtype === 'bool') {
    for (let i = 0; i < data.length; i++) out[i] = data[i] !== 0 ? 1 : 0;
    return;
  }
  // set() converts natively between element types (ToNumber / ToInt32 per element).
  out.set(data);
}

export const castCpuKernels: OpKernelSpec[] = [defineKernel('Cast', 'cpu', castKernel)];
