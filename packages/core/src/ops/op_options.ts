import { InvalidArgumentError } from '../errors.js';
import { showValue } from './source_args.js';

/**
 * An options argument as JavaScript callers may give it: an object (or nothing), or a string,
 * taken as the name (TF1's positional `name`: `add(a, b, 'sum')`, `new Variable(0, 'w')`).
 * Anything else is refused, never silently ignored (`batch(32, true)`-style mistakes).
 * @internal
 */
export function opOptions<O extends { name?: string | undefined }>(options: unknown, what: string): O {
  if (options === undefined) return {} as O;
  if (typeof options === 'string') return { name: options } as O;
  if (typeof options === 'object' && options !== null && !Array.isArray(options)) return options as O;
  throw new InvalidArgumentError(
    `${what}: options must be an object such as { name: 'x' } (or a name string), got ${showValue(options)}`,
  );
}
