import type { OpType } from '../graph/op_types.js';
import type { DType } from '../dtype.js';
import type { Tensor } from '../graph/tensor.js';
import { buildOp1, type OpOptions, requireDTypes, type TensorLike } from './op_builder.js';

const FLOAT: readonly DType[] = ['float32'];
const NUMERIC: readonly DType[] = ['float32', 'int32'];

/** A shape- and dtype-preserving elementwise op restricted to `allowed` dtypes. @internal */
export function unaryOp(type: OpType, x: TensorLike, allowed: readonly DType[], options: OpOptions): Tensor {
  return buildOp1({
    type,
    inputs: [x],
    options,
    infer: ([t], opName) => {
      requireDTypes(t!, allowed, opName, type);
      return [{ dtype: t!.dtype, shape: t!.shape }];
    },
  });
}

/** -x elementwise (float32 or int32). @example neg(x) */
export function neg(x: TensorLike, options: OpOptions = {}): Tensor {
  return unaryOp('Neg', x, NUMERIC, options);
}

/** |x| elementwise (float32 or int32). @example abs(sub(a, b)) */
export function abs(x: TensorLike, options: OpOptions = {}): Tensor {
  return unaryOp('Abs', x, NUMERIC, options);
}

/** e^x elementwise (float32). @example exp(logits) */
export function exp(x: TensorLike, options: OpOptions = {}): Tensor {
  return unaryOp('Exp', x, FLOAT, options);
}

/** Natural log elementwise (float32); log(0) is -Infinity, log of a negative is NaN. @example log(p) */
export function log(x: TensorLike, options: OpOptions = {}): Tensor {
  return unaryOp('Log', x, FLOAT, options);
}

/** Square root elementwise (float32). @example sqrt(variance) */
export function sqrt(x: TensorLike, options: OpOptions = {}): Tensor {
  return unaryOp('Sqrt', x, FLOAT, options);
}

/** x * x elementwise (float32 or int32, which wraps). @example square(sub(pred, y)) */
export function square(x: TensorLike, options: OpOptions = {}): Tensor {
  return unaryOp('Square', x, NUMERIC, options);
}

/** -1, 0 or 1 by the sign of x (float32 keeps NaN; int32 allowed). @example sign(x) */
export function sign(x: TensorLike, options: OpOptions = {}): Tensor {
  return unaryOp('Sign', x, NUMERIC, options);
}

/** 1 / x elementwise (float32). @example reciprocal(x) */
export function reciprocal(x: TensorLike, options: OpOptions = {}): Tensor {
  return unaryOp('Reciprocal', x, FLOAT, options);
}

/** 1 / sqrt(x) elementwise (float32). @example rsqrt(add(variance, 1e-5)) */
export function rsqrt(x: TensorLike, options: OpOptions = {}): Tensor {
  return unaryOp('Rsqrt', x, FLOAT, options);
}

/** The largest integer not above x, elementwise (float32 in and out). @example floor(x) */
export function floor(x: TensorLike, options: OpOptions = {}): Tensor {
  return unaryOp('Floor', x, FLOAT, options);
}
