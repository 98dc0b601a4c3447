import { InvalidArgumentError } from '@tsflow/core';
import { describe } from './stacking.js';

/**
 * An options argument checked to be an object (or omitted): plain JavaScript callers who give
 * an option positionally (`batch(32, true)`, `shuffle(100, 42)`) get an error naming the call
 * and the object it expects, instead of the option being silently ignored. @internal
 */
export function optionsObject<O extends object>(options: O | undefined, what: string, example: string): O {
  if (options === undefined) return {} as O;
  if (typeof options === 'object' && options !== null && !Array.isArray(options)) return options;
  throw new InvalidArgumentError(`${what}: options must be an object such as ${example}, got ${describe(options)}`);
}
