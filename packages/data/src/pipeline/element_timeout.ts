import { DeadlineExceededError, InvalidArgumentError } from '@tsflow/core';
import { isThenable } from './pull.js';

/**
 * The `timeout` option of `map` and `mapInWorkers`: milliseconds one element's work may take
 * before the pass fails with a DeadlineExceededError naming the element (its index in this
 * pass). A JS function spinning on the main thread can't be interrupted; use mapInWorkers,
 * whose timed-out worker is terminated.
 * @internal
 */

/** Validates `timeout` (a positive finite number of milliseconds, or undefined). */
export function resolveTimeout(value: unknown, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(
      `${what}: timeout must be a positive number of milliseconds, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

export function deadlineError(index: number, timeoutMs: number, consequence = ''): DeadlineExceededError {
  return new DeadlineExceededError(
    `element ${index} of this pass did not finish within the timeout of ${timeoutMs} ms${consequence}`,
  );
}

/**
 * Wraps `start` so that a result still pending after `timeoutMs` rejects with a deadline
 * error naming the element's index (counted in the order elements are started).
 */
export function withElementTimeout<T, U>(
  start: (element: T) => U | PromiseLike<U>,
  timeoutMs: number | undefined,
): (element: T) => U | PromiseLike<U> {
  if (timeoutMs === undefined) return start;
  let started = 0;
  return (element) => {
    const index = started++;
    const result = start(element);
    if (!isThenable(result)) return result;
    return new Promise<U>((resolve, reject) => {
      const timer = setTimeout(() => reject(deadlineError(index, timeoutMs)), timeoutMs);
      Promise.resolve(result).then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  };
}
