import type { OpType } from '../graph/op_types.js';
import type { DType } from '../dtype.js';
import type { Tensor } from '../graph/tensor.js';
import { broadcastStaticShapes } from './broadcast_shape.js';
import { operandDTypeHint } from './operand_dtype.js';
import { buildOp1, type OpOptions, requireDTypes, requireSameDTypes, type TensorLike } from './op_builder.js';

const NUMERIC: readonly DType[] = ['float32', 'int32'];

/**
 * Builds a broadcasting binary op whose output dtype is the (shared) input dtype, or
 * `outputDType` (comparisons give bool). Plain numbers take the dtype of the other, typed input,
 * so `add(intTensor, 2)` stays int32.
 * @internal
 */
export function binaryOp(
  type: OpType,
  a: TensorLike,
  b: TensorLike,
  allowed: readonly DType[],
  options: OpOptions,
  outputDType?: DType,
): Tensor {
  return buildOp1({
    type,
    inputs: [a, b],
    options,
    dtypeHint: operandDTypeHint([a, b]) ?? 'none',
    infer: (inputs, opName) => {
      const dtype = requireSameDTypes(inputs, opName, type);
      requireDTypes(inputs[0]!, allowed, opName, type);
      return [
        {
          dtype: outputDType ?? dtype,
          shape: broadcastStaticShapes(inputs[0]!.shape, inputs[1]!.shape, opName, type, inputs),
        },
      ];
    },
  });
}

/**
 * a + b elementwise, with numpy broadcasting.
 *
 * @example
 * add(constant([[1], [2]]), constant([10, 20, 30])); // shape [2, 3]
 */
export function add(a: TensorLike, b: TensorLike, options: OpOptions = {}): Tensor {
  return binaryOp('Add', a, b, NUMERIC, options);
}

/** a - b elementwise, with broadcasting. @example sub(x, 1) */
export function sub(a: TensorLike, b: TensorLike, options: OpOptions = {}): Tensor {
  return binaryOp('Sub', a, b, NUMERIC, options);
}

/** a * b elementwise, with broadcasting (not matrix multiplication; see matMul). @example mul(6, 8) // 48 */
export function mul(a: TensorLike, b: TensorLike, options: OpOptions = {}): Tensor {
  return binaryOp('Mul', a, b, NUMERIC, options);
}

/**
 * a / b elementwise, with broadcasting. On int32 this is floor division, as TF1's `tf.div`
 * (Python 2 semantics): `div(-7, 2)` on int32 gives -4. Integer division by zero fails at run time.
 *
 * @example
 * div(constant([7, -7], { dtype: 'int32' }), 2); // [3, -4]
 */
export function div(a: TensorLike, b: TensorLike, options: OpOptions = {}): Tensor {
  return binaryOp('Div', a, b, NUMERIC, options);
}

/** a ** b elementwise, with broadcasting. int32 results wrap; negative int32 exponents fail at run time. @example pow(x, 2) */
export function pow(a: TensorLike, b: TensorLike, options: OpOptions = {}): Tensor {
  return binaryOp('Pow', a, b, NUMERIC, options);
}

/** The larger of a and b elementwise (NaN if either is NaN). @example maximum(x, 0) */
export function maximum(a: TensorLike, b: TensorLike, options: OpOptions = {}): Tensor {
  return binaryOp('Maximum', a, b, NUMERIC, options);
}

/** The smaller of a and b elementwise (NaN if either is NaN). @example minimum(x, 6) */
export function minimum(a: TensorLike, b: TensorLike, options: OpOptions = {}): Tensor {
  return binaryOp('Minimum', a, b, NUMERIC, options);
}
