import { InvalidArgumentError } from './errors.js';
import { checkTensorBytes } from './tensor_bytes_limit.js';

/**
 * Element type of a value. `bool` is stored as a `Uint8Array` of 0/1. Graph tensors are
 * float32, int32 or bool; `float64` is a host dtype: NDArrays that carry double columns of
 * Arrow/Parquet data exactly. A float64 value fed to a tensor is converted to the tensor's
 * dtype (as TF1's feed_dict does), and one made a constant becomes float32.
 */
export type DType = 'float32' | 'int32' | 'bool' | 'float64';

export type TypedArray = Float32Array | Int32Array | Uint8Array | Float64Array;

/** The dtypes of graph tensors (placeholders, constants, ops). */
export const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

/** The dtypes an NDArray may have: the graph's, plus float64 for host values. */
export const VALUE_DTYPES: readonly DType[] = ['float32', 'int32', 'bool', 'float64'];

export function isDType(value: unknown): value is DType {
  return value === 'float32' || value === 'int32' || value === 'bool';
}

/** A dtype for a graph tensor (float64 is refused with a hint: it is a host dtype). */
export function assertDType(value: unknown, what: string): DType {
  if (value === 'float64') {
    throw new InvalidArgumentError(
      `${what}: dtype float64 is for host values (NDArrays of double columns), not graph tensors; use float32 (a float64 value fed to a float32 tensor is converted)`,
    );
  }
  if (!isDType(value)) {
    throw new InvalidArgumentError(
      `${what}: unknown dtype ${JSON.stringify(value)}; expected one of ${DTYPES.join(', ')}`,
    );
  }
  return value;
}

/** Bytes per element of each dtype. */
export const BYTES_PER_ELEMENT: Readonly<Record<DType, number>> = { float32: 4, int32: 4, bool: 1, float64: 8 };

/** A dtype for an NDArray: a graph dtype or float64. */
export function assertValueDType(value: unknown, what: string): DType {
  if (value === 'float64') return value;
  if (!isDType(value)) {
    throw new InvalidArgumentError(
      `${what}: unknown dtype ${JSON.stringify(value)}; expected one of ${VALUE_DTYPES.join(', ')}`,
    );
  }
  return value;
}

/** Allocates a zero-filled typed array for `dtype` (within the running session's maxTensorBytes). */
export function allocTypedArray(dtype: DType, length: number): TypedArray {
  checkTensorBytes(length * BYTES_PER_ELEMENT[dtype]);
  switch (dtype) {
    case 'float32':
      return new Float32Array(length);
    case 'int32':
      return new Int32Array(length);
    case 'bool':
      return new Uint8Array(length);
    case 'float64':
      return new Float64Array(length);
  }
}

/** The dtype a typed array maps to, or undefined for other typed arrays. */
export function dtypeOfTypedArray(data: ArrayBufferView): DType | undefined {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint8Array) return 'bool';
  return undefined;
}

export function isTypedArray(value: unknown): value is ArrayBufferView & ArrayLike<number> {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

export function isFloatDType(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}
