import { assertDType, type DType } from '../dtype.js';
import { InvalidArgumentError } from '../errors.js';
import { getDefaultGraph } from '../graph/graph.js';
import type { Tensor } from '../graph/tensor.js';
import type { OpOptions } from './op_builder.js';
import { opOptions } from './op_options.js';

/**
 * A tensor whose value must be fed to `Session.run`. `null` dims (or a `null`/omitted shape)
 * accept any size.
 *
 * @example
 * const x = placeholder('float32', [null, 3], { name: 'x' });
 */
export function placeholder(dtype: DType, shape?: readonly (number | null)[] | null, given: OpOptions = {}): Tensor {
  const options = opOptions<OpOptions>(given, 'placeholder');
  assertDType(dtype, 'placeholder');
  if (shape !== undefined && shape !== null) {
    if (!Array.isArray(shape)) throw new InvalidArgumentError(`placeholder: shape must be an array or null`);
    for (const d of shape) {
      if (d !== null && !(Number.isInteger(d) && d >= 0)) {
        throw new InvalidArgumentError(
          `placeholder: shape ${JSON.stringify(shape)} must hold non-negative integers or null`,
        );
      }
    }
  }
  const staticShape = shape === undefined || shape === null ? null : shape.slice();
  return getDefaultGraph().addOperation({
    type: 'Placeholder',
    name: options.name,
    attrs: { dtype, shape: staticShape },
    outputs: [{ dtype, shape: staticShape }],
  }).output;
}
