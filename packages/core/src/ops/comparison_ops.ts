import type { OpType } from '../graph/op_types.js';
import type { DType } from '../dtype.js';
import type { Tensor } from '../graph/tensor.js';
import { binaryOp } from './binary_ops.js';
import type { OpOptions, TensorLike } from './op_builder.js';

const ANY: readonly DType[] = ['float32', 'int32', 'bool'];
const ORDERED: readonly DType[] = ['float32', 'int32'];

/** A broadcasting comparison: inputs of one dtype, a bool output. */
function comparisonOp(
  type: OpType,
  a: TensorLike,
  b: TensorLike,
  allowed: readonly DType[],
  options: OpOptions,
): Tensor {
  return binaryOp(type, a, b, allowed, options, 'bool');
}

/** a == b elementwise (bool result; bool inputs allowed). @example equal(argMax(y, 1), labels) */
export function equal(a: TensorLike, b: TensorLike, options: OpOptions = {}): Tensor {
  return comparisonOp('Equal', a, b, ANY, options);
}

/** a != b elementwise (bool result; bool inputs allowed). @example notEqual(x, 0) */
export function notEqual(a: TensorLike, b: TensorLike, options: OpOptions = {}): Tensor {
  return comparisonOp('NotEqual', a, b, ANY, options);
}

/** a > b elementwise (bool result). @example greater(x, 0) */
export function greater(a: TensorLike, b: TensorLike, options: OpOptions = {}): Tensor {
  return comparisonOp('Greater', a, b, ORDERED, options);
}

/** a >= b elementwise (bool result). @example greaterEqual(x, 0) */
export function greaterEqual(a: TensorLike, b: TensorLike, options: OpOptions = {}): Tensor {
  return comparisonOp('GreaterEqual', a, b, ORDERED, options);
}

/** a < b elementwise (bool result). @example less(x, 0) */
export function less(a: TensorLike, b: TensorLike, options: OpOptions = {}): Tensor {
  return comparisonOp('Less', a, b, ORDERED, options);
}

/** a <= b elementwise (bool result). @example lessEqual(x, 0) */
export function lessEqual(a: TensorLike, b: TensorLike, options: OpOptions = {}): Tensor {
  return comparisonOp('LessEqual', a, b, ORDERED, options);
}
