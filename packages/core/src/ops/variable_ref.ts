import type { DType } from '../dtype.js';
import type { TensorConvertible } from '../graph/tensor.js';

/**
 * Set on every Variable. Ops that update variables in place (ops/training_ops.ts) check it
 * instead of `instanceof Variable`, so the ops layer needs no import of variables/, which sits
 * above it (variables build their ops with ops/op_builder.ts).
 */
export const IS_VARIABLE: unique symbol = Symbol('tsflow.Variable');

/** What an update op needs of a Variable: its name (the session stores values by it), dtype and shape. */
export interface VariableRef extends TensorConvertible {
  readonly [IS_VARIABLE]: true;
  readonly name: string;
  readonly dtype: DType;
  readonly shape: number[];
}

/** True for a Variable (and only for one: a Tensor that reads a variable is not one). */
export function isVariableRef(value: unknown): value is VariableRef {
  return typeof value === 'object' && value !== null && (value as Partial<VariableRef>)[IS_VARIABLE] === true;
}
