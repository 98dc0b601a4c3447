import { InvalidArgumentError } from '../errors.js';

/**
 * Checks an `axis` argument at the call, before the op is built; `what` names the op (its
 * `name` option or type). The range is checked by shape inference once the rank is known.
 * @internal
 */
export function requireIntegerAxis(axis: unknown, what: string): asserts axis is number {
  if (typeof axis !== 'number' || !Number.isInteger(axis)) {
    throw new InvalidArgumentError(`${what}: axis must be an integer, got ${JSON.stringify(axis)}`);
  }
}
