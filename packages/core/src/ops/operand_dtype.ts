import type { DType } from '../dtype.js';
import { AS_TENSOR, isTensorConvertible, Tensor } from '../graph/tensor.js';
import { NDArray } from '../ndarray/ndarray.js';

/**
 * The dtype plain numbers among `operands` should take: that of the first symbolic operand
 * (Tensor or Variable), else of the first NDArray, else undefined (numbers default to float32).
 * So `add(intTensor, 2)` and `add(ndarray([1], { dtype: 'int32' }), 2)` both stay int32.
 * @internal
 */
export function operandDTypeHint(operands: readonly unknown[]): DType | undefined {
  for (const v of operands) {
    if (v instanceof Tensor) return v.dtype;
    if (isTensorConvertible(v)) return v[AS_TENSOR]().dtype;
  }
  for (const v of operands) if (v instanceof NDArray) return v.dtype;
  return undefined;
}
