import { InvalidArgumentError } from '../errors.js';
import type { Tensor } from '../graph/tensor.js';
import { NDArray, ndarray, type NestedArray } from '../ndarray/ndarray.js';
import type { StaticShape } from '../ndarray/shape.js';

/**
 * Validates a plain integer list and wraps it as an int32 NDArray (it becomes a Const input),
 * so ops like Reshape take their shape as an input tensor, as in TF. Tensors pass through.
 * @internal
 */
export function intListInput(value: unknown, what: string, allowMinusOne = false): unknown {
  if (!Array.isArray(value)) return value;
  for (const d of value) {
    if (typeof d !== 'number' || !Number.isInteger(d) || (d < 0 && !(allowMinusOne && d === -1))) {
      throw new InvalidArgumentError(
        `${what}: expected a list of non-negative integers${allowMinusOne ? ' (or -1)' : ''}, got ${JSON.stringify(value)}`,
      );
    }
    // The int32 conversion below would wrap it (2**32 becomes 0) and change the op silently.
    if (d > 2147483647)
      throw new InvalidArgumentError(`${what}: ${d} does not fit in int32, got ${JSON.stringify(value)}`);
  }
  return ndarray(value as number[], { dtype: 'int32', shape: [value.length] });
}

/**
 * Plain integer ids (gather indices, sparse labels; nested arrays allowed) as an int32 NDArray,
 * rejecting a fraction or an out-of-range value that the int32 conversion would silently change.
 * Anything else passes through (the op then checks its dtype). @internal
 */
export function int32IdsInput(value: unknown, what: string): unknown {
  if (!Array.isArray(value) && typeof value !== 'number') return value;
  const flat: unknown[] = Array.isArray(value) ? value.flat(Infinity) : [value];
  for (const v of flat) {
    if (typeof v === 'number' && !(Number.isInteger(v) && v >= -2147483648 && v <= 2147483647)) {
      throw new InvalidArgumentError(`${what}: ${v} is not an int32 value`);
    }
  }
  return ndarray(value as NestedArray, { dtype: 'int32' });
}

/** The values of a tensor that are known when the graph is built (a Const's value), else null. @internal */
export function constantValue(t: Tensor): NDArray | null {
  if (t.op.type !== 'Const') return null;
  const value = t.op.attrs['value'];
  return value instanceof NDArray ? value : null;
}

/**
 * The static shape that a 1-D int32 shape tensor describes (TF's constant_value_as_shape):
 * a Const gives its values (-1 stays -1), `Shape(x)` gives x's static shape, anything else of
 * known length gives that many unknown dims; otherwise the rank is unknown. @internal
 */
export function staticShapeFromTensor(t: Tensor): StaticShape {
  const value = constantValue(t);
  if (value) return Array.from(value.data);
  if (t.op.type === 'Shape' && t.op.inputs[0]) {
    const source = t.op.inputs[0].shape;
    if (source !== null) return source.slice();
  }
  const length = t.shape?.length === 1 ? t.shape[0] : null;
  if (length !== null && length !== undefined) return new Array<number | null>(length).fill(null);
  return null;
}
