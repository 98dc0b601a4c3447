import { type DType, type TypedArray, allocTypedArray } from '../dtype.js';
import { InvalidArgumentError } from '../errors.js';

/**
 * Converts numeric data to the typed array of `dtype` (bool is x != 0). int32 takes integers
 * in its range only: anything else (1.5, 3e10, NaN) is an InvalidArgumentError naming the
 * element, never a silent truncation or wrap — one rule for nested arrays, typed arrays and
 * feeds. (The `cast` op is where truncation toward zero is asked for.)
 */
export function castData(source: ArrayLike<number>, dtype: DType, what = 'ndarray'): TypedArray {
  const n = source.length;
  const out = allocTypedArray(dtype, n);
  if (dtype === 'bool') {
    for (let i = 0; i < n; i++) out[i] = source[i] ? 1 : 0;
  } else if (dtype === 'int32' && !holdsOnlyInt32(source)) {
    for (let i = 0; i < n; i++) {
      const v = source[i]!;
      if (!isInt32(v)) throw new InvalidArgumentError(`${what}: ${int32Violation(i, v)}`);
      out[i] = v;
    }
  } else {
    for (let i = 0; i < n; i++) out[i] = source[i]!;
  }
  return out;
}

/** Whether `value` is an integer int32 holds. */
export function isInt32(value: number): boolean {
  return Number.isInteger(value) && value >= -2147483648 && value <= 2147483647;
}

/** The message for element `index` holding `value`, which is not an int32. */
export function int32Violation(index: number, value: number): string {
  return `element ${index} is ${value}, not a 32-bit integer (int32 holds integers from -2147483648 to 2147483647)`;
}

/** Typed arrays whose every possible value is an int32 (no check needed). */
function holdsOnlyInt32(source: ArrayLike<number>): boolean {
  return (
    source instanceof Int32Array ||
    source instanceof Int16Array ||
    source instanceof Uint16Array ||
    source instanceof Int8Array ||
    source instanceof Uint8Array ||
    source instanceof Uint8ClampedArray
  );
}

/** BigInt64Array/BigUint64Array hold bigints, which no dtype takes: say so instead of a raw TypeError. */
export function refuseBigIntArray(values: ArrayBufferView, what: string): void {
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    throw new InvalidArgumentError(
      `${what}: a ${values.constructor.name} holds bigints, which no tsflow dtype takes (float32, int32, bool); convert it first, e.g. Int32Array.from(values, Number) for values within int32`,
    );
  }
}
