import type { DType, TypedArray } from '../../dtype.js';
import { NDArray } from '../../ndarray/ndarray.js';
import type { KernelContext, KernelSpec } from '../kernel_registry.js';

/**
 * float32 -> int32 truncates toward zero (NaN becomes 0, out-of-range values wrap modulo 2^32);
 * anything -> bool is `x != 0` (so NaN is true); bool -> numbers gives 0/1.
 */
function castKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const x = inputs[0]!;
  const dtype = ctx.attrs['dtype'] as DType;
  if (x.dtype === dtype) return x;
  return new NDArray(dtype, x.shape, convert(x.data, dtype));
}

function convert(data: TypedArray, dtype: DType): TypedArray {
  switch (dtype) {
    // The typed-array constructors convert natively (ToNumber / ToInt32 per element).
    case 'float32':
      return new Float32Array(data);
    case 'float64':
      return new Float64Array(data);
    case 'int32':
      return new Int32Array(data);
    case 'bool': {
      const n = data.length;
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = data[i] !== 0 ? 1 : 0;
      return out;
    }
  }
}

export const castCpuKernels: KernelSpec[] = [{ opType: 'Cast', device: 'cpu', kernel: castKernel }];
