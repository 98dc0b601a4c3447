import { assertDType, type DType } from '../dtype.js';
import { InvalidArgumentError } from '../errors.js';
import { describeValue } from '../ndarray/ndarray.js';

/** A concrete output shape for a source op: a non-negative integer or an array of them. @internal */
export function sourceShape(shape: unknown, what: string): number[] {
  const dims = typeof shape === 'number' ? [shape] : shape;
  if (!Array.isArray(dims) || !dims.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    throw new InvalidArgumentError(`${what}: shape must be an array of non-negative integers, got ${showValue(shape)}`);
  }
  return dims.slice();
}

/** A dtype argument checked against the dtypes the op supports. @internal */
export function sourceDType(dtype: unknown, allowed: readonly DType[], what: string): DType {
  const checked = assertDType(dtype, what);
  if (!allowed.includes(checked)) {
    throw new InvalidArgumentError(`${what}: dtype ${checked} is not supported; expected one of ${allowed.join(', ')}`);
  }
  return checked;
}

/** A finite number option (e.g. mean, stddev, minval). @internal */
export function finiteNumber(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError(`${what} must be a finite number, got ${showValue(value)}`);
  }
  return value;
}

/** A short, safe rendering of a bad argument for error messages (Tensors and cycles included). @internal */
export function showValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value) && value.every((d) => typeof d === 'number' || d === null))
    return `[${value.map(String).join(',')}]`;
  return describeValue(value);
}
