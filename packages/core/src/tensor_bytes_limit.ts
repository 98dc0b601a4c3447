import { ResourceExhaustedError } from './errors.js';

/**
 * The largest tensor a Session may allocate (its `maxTensorBytes`), for the duration of a run.
 * Kept at the lowest layer so the allocation helpers (`allocTypedArray`, the executor's memory)
 * can check it without knowing about sessions; the session names the op when one refuses.
 * @internal
 */

/** Default `maxTensorBytes` of a Session: 4 GiB. */
export const DEFAULT_MAX_TENSOR_BYTES = 4 * 2 ** 30;

let activeLimit = Number.POSITIVE_INFINITY;

/** Runs `fn` (synchronous: a session run) with `limit` as the allocation limit. */
export function withTensorBytesLimit<T>(limit: number, fn: () => T): T {
  const previous = activeLimit;
  activeLimit = limit;
  try {
    return fn();
  } finally {
    activeLimit = previous;
  }
}

/** Raised by an allocation above the active limit; the session turns it into a message naming the op. */
export class TensorBytesLimitError extends ResourceExhaustedError {
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`an allocation of ${describeBytes(bytes)} is above maxTensorBytes = ${describeBytes(limit)}`);
  }
}

/** Throws before allocating `bytes` when they exceed the active limit. */
export function checkTensorBytes(bytes: number): void {
  if (bytes > activeLimit) throw new TensorBytesLimitError(bytes, activeLimit);
}

/** `8589934592 bytes (8.0 GiB)`. */
export function describeBytes(bytes: number): string {
  const units: [number, string][] = [
    [2 ** 40, 'TiB'],
    [2 ** 30, 'GiB'],
    [2 ** 20, 'MiB'],
    [2 ** 10, 'KiB'],
  ];
  const unit = units.find(([size]) => bytes >= size);
  return unit === undefined ? `${bytes} bytes` : `${bytes} bytes (${(bytes / unit[0]).toFixed(1)} ${unit[1]})`;
}
