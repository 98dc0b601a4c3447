import type { OpType } from '../graph/op_types.js';
import type { DType } from '../dtype.js';
import { opOptions } from './op_options.js';
import { InvalidArgumentError } from '../errors.js';
import { getDefaultGraph } from '../graph/graph.js';
import type { Attrs } from '../graph/operation.js';
import type { Tensor } from '../graph/tensor.js';
import type { OpOptions } from './op_builder.js';
import { finiteNumber, showValue, sourceDType, sourceShape } from './source_args.js';

/**
 * A `seed` makes the op reproducible: the n-th run gives the same values in every session
 * (combined with `graph.seed`, like TF's op and graph seeds).
 */
export interface RandomNormalOptions extends OpOptions {
  mean?: number;
  stddev?: number;
  seed?: number;
  dtype?: DType;
}

export interface TruncatedNormalOptions extends OpOptions {
  mean?: number;
  stddev?: number;
  seed?: number;
}

export interface RandomUniformOptions extends OpOptions {
  minval?: number;
  /** Defaults to 1 for float32; required for int32. */
  maxval?: number;
  seed?: number;
  dtype?: DType;
}

/** Normal samples with `mean` (0) and `stddev` (1), float32. @example randomNormal([784, 10], { stddev: 0.1, seed: 1 }) */
export function randomNormal(shape: readonly number[] | number, options: RandomNormalOptions = {}): Tensor {
  sourceDType(options.dtype ?? 'float32', ['float32'], 'randomNormal');
  return randomOp('RandomNormal', shape, options, {
    mean: finiteNumber(options.mean ?? 0, 'randomNormal: mean'),
    stddev: finiteNumber(options.stddev ?? 1, 'randomNormal: stddev'),
    dtype: 'float32',
  });
}

/**
 * Normal samples where any draw more than 2 stddev from the mean is redrawn (TF's
 * truncated_normal), float32. @example truncatedNormal([5, 5, 1, 32], { stddev: 0.1 })
 */
export function truncatedNormal(shape: readonly number[] | number, options: TruncatedNormalOptions = {}): Tensor {
  return randomOp('TruncatedNormal', shape, options, {
    mean: finiteNumber(options.mean ?? 0, 'truncatedNormal: mean'),
    stddev: finiteNumber(options.stddev ?? 1, 'truncatedNormal: stddev'),
    dtype: 'float32',
  });
}

/**
 * Uniform samples in [minval, maxval): float32 by default, or int32 (then `maxval` is required
 * and both bounds must be integers). @example randomUniform([2, 2], { minval: -1, maxval: 1, seed: 7 })
 */
export function randomUniform(shape: readonly number[] | number, options: RandomUniformOptions = {}): Tensor {
  const dtype = sourceDType(options.dtype ?? 'float32', ['float32', 'int32'], 'randomUniform');
  if (dtype === 'int32' && options.maxval === undefined) {
    throw new InvalidArgumentError('randomUniform: maxval must be given for dtype int32');
  }
  const minval = finiteNumber(options.minval ?? 0, 'randomUniform: minval');
  const maxval = finiteNumber(options.maxval ?? 1, 'randomUniform: maxval');
  // Out-of-range bounds would wrap silently when the kernel stores its draws in an Int32Array.
  const isInt32 = (v: number): boolean => Number.isInteger(v) && v >= -2147483648 && v <= 2147483647;
  if (dtype === 'int32' && !(isInt32(minval) && isInt32(maxval))) {
    throw new InvalidArgumentError(
      `randomUniform: int32 bounds must be integers in the int32 range, got minval ${minval}, maxval ${maxval}`,
    );
  }
  if (!(minval < maxval)) {
    throw new InvalidArgumentError(`randomUniform: need minval < maxval, got minval ${minval}, maxval ${maxval}`);
  }
  return randomOp('RandomUniform', shape, options, { minval, maxval, dtype });
}

function randomOp(
  type: OpType,
  shapeArg: readonly number[] | number,
  given: OpOptions & { seed?: number },
  attrs: Attrs & { dtype: DType },
): Tensor {
  const what = type.charAt(0).toLowerCase() + type.slice(1);
  const options = opOptions<OpOptions & { seed?: number }>(given, what);
  const shape = sourceShape(shapeArg, what);
  const seed = options.seed;
  if (seed !== undefined && !Number.isInteger(seed)) {
    throw new InvalidArgumentError(`${what}: seed must be an integer, got ${showValue(seed)}`);
  }
  const dtype = attrs.dtype;
  return getDefaultGraph().addOperation({
    type,
    name: options.name,
    attrs: { ...attrs, shape, seed: seed ?? null },
    outputs: [{ dtype, shape }],
  }).output;
}
