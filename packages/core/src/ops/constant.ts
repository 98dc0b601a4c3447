import { assertDType, type DType } from '../dtype.js';
import { InvalidArgumentError } from '../errors.js';
import { getDefaultGraph } from '../graph/graph.js';
import type { Tensor } from '../graph/tensor.js';
import { type NDArray, ndarray, type NestedArray } from '../ndarray/ndarray.js';
import { constantInGraph } from './constant_node.js';
import { opOptions } from './op_options.js';

export interface ConstantOptions {
  dtype?: DType;
  shape?: readonly number[];
  name?: string;
}

/**
 * A tensor with a fixed value. A scalar with a `shape` fills that shape.
 *
 * @example
 * constant([[1, 2], [3, 4]]); constant(0, { shape: [2, 3] }); constant([1, 2], { dtype: 'int32' });
 */
export function constant(value: NestedArray | NDArray | ArrayLike<number>, given: ConstantOptions = {}): Tensor {
  const options = opOptions<ConstantOptions>(given, 'constant');
  if (value === undefined || value === null) throw new InvalidArgumentError(`constant: value must not be ${value}`);
  const opts: { dtype?: DType; shape?: readonly number[] } = {};
  if (options.dtype !== undefined) opts.dtype = assertDType(options.dtype, 'constant');
  if (options.shape !== undefined) opts.shape = options.shape;
  const array = ndarray(value as NestedArray, opts);
  return constantInGraph(getDefaultGraph(), array, options.name);
}
