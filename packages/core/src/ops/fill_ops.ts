import type { OpType } from '../graph/op_types.js';
import type { DType } from '../dtype.js';
import { InvalidArgumentError } from '../errors.js';
import { getDefaultGraph } from '../graph/graph.js';
import type { Tensor } from '../graph/tensor.js';
import { buildOp1, type OpOptions, type TensorLike } from './op_builder.js';
import { sourceDType, sourceShape } from './source_args.js';

const ALL: readonly DType[] = ['float32', 'int32', 'bool'];

/** Options of zeros/ones/fill: the dtype may also be passed positionally. */
export interface FillOptions extends OpOptions {
  dtype?: DType;
}

/**
 * A tensor of `shape` filled with `value`. The dtype defaults to bool for a boolean value and
 * float32 for a number; an int32 fill needs an integer value.
 *
 * @example
 * fill([2, 3], 7, 'int32');
 */
export function fill(
  shape: readonly number[] | number,
  value: number | boolean,
  dtype?: DType | FillOptions,
  options: OpOptions = {},
): Tensor {
  return fillOp('Fill', 'fill', shape, value, dtype, options);
}

/** A tensor of zeros (float32 unless `dtype` says otherwise). Default name `zeros`. @example zeros([784, 10]) */
export function zeros(shape: readonly number[] | number, dtype?: DType | FillOptions, options: OpOptions = {}): Tensor {
  return fillOp('zeros', 'zeros', shape, 0, dtype, options);
}

/** A tensor of ones (float32 unless `dtype` says otherwise). Default name `ones`. @example ones([3], 'int32') */
export function ones(shape: readonly number[] | number, dtype?: DType | FillOptions, options: OpOptions = {}): Tensor {
  return fillOp('ones', 'ones', shape, 1, dtype, options);
}

/** Zeros with x's dtype and (run-time) shape. @example zerosLike(w) */
export function zerosLike(x: TensorLike, options: OpOptions = {}): Tensor {
  return likeOp('ZerosLike', x, options);
}

/** Ones with x's dtype and (run-time) shape. @example onesLike(loss) */
export function onesLike(x: TensorLike, options: OpOptions = {}): Tensor {
  return likeOp('OnesLike', x, options);
}

function fillOp(
  defaultName: string,
  what: string,
  shapeArg: readonly number[] | number,
  value: number | boolean,
  dtypeArg: DType | FillOptions | undefined,
  options: OpOptions,
): Tensor {
  const opts: FillOptions =
    typeof dtypeArg === 'object' && dtypeArg !== null ? { ...dtypeArg } : { ...options, dtype: dtypeArg as DType };
  const shape = sourceShape(shapeArg, what);
  if (typeof value !== 'number' && typeof value !== 'boolean') {
    throw new InvalidArgumentError(`${what}: value must be a number or boolean, got ${typeof value}`);
  }
  const dtype = sourceDType(opts.dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32'), ALL, what);
  const numeric = Number(value);
  if (dtype === 'int32' && !(Number.isInteger(numeric) && numeric >= -2147483648 && numeric <= 2147483647)) {
    throw new InvalidArgumentError(`${what}: value ${value} is not an int32`);
  }
  const stored = dtype === 'bool' ? (numeric !== 0 ? 1 : 0) : numeric;
  return getDefaultGraph().addOperation({
    type: 'Fill',
    name: opts.name ?? defaultName,
    attrs: { shape, value: stored, dtype },
    outputs: [{ dtype, shape }],
  }).output;
}

function likeOp(type: OpType, x: TensorLike, options: OpOptions): Tensor {
  return buildOp1({ type, inputs: [x], options, infer: ([t]) => [{ dtype: t!.dtype, shape: t!.shape }] });
}
