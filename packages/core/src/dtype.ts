import { InvalidArgumentError } from './errors.js';
import { checkTensorBytes } from './tensor_bytes_limit.js';

/** Element type of a tensor. `bool` is stored as a `Uint8Array` of 0/1. */
export type DType = 'float32' | 'int32' | 'bool';

export type TypedArray = Float32Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

export function isDType(value: unknown): value is DType {
  return value === 'float32' || value === 'int32' || value === 'bool';
}

export function assertDType(value: unknown, what: string): DType {
  if (!isDType(value)) {
    throw new InvalidArgumentError(`${what}: unknown dtype ${JSON.stringify(value)}; expected one of ${DTYPES.join(', ')}`);
  }
  return value;
}

/** Bytes per element of each dtype. */
export const BYTES_PER_ELEMENT: Readonly<Record<DType, number>> = { float32: 4, int32: 4, bool: 1 };

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
  return dtype === 'float32';
}
