import type { Tensor } from '../graph/tensor.js';
import type { OpOptions, TensorLike } from './op_builder.js';
import { unaryOp } from './unary_ops.js';

/** max(x, 0) elementwise (float32 or int32). @example relu(add(matMul(x, w), b)) */
export function relu(x: TensorLike, options: OpOptions = {}): Tensor {
  return unaryOp('Relu', x, ['float32', 'int32'], options);
}

/** 1 / (1 + e^-x) elementwise (float32). @example sigmoid(logits) */
export function sigmoid(x: TensorLike, options: OpOptions = {}): Tensor {
  return unaryOp('Sigmoid', x, ['float32'], options);
}

/** Hyperbolic tangent elementwise (float32). @example tanh(h) */
export function tanh(x: TensorLike, options: OpOptions = {}): Tensor {
  return unaryOp('Tanh', x, ['float32'], options);
}
