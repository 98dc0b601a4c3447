import { assertDType, type DType } from '../dtype.js';
import type { Tensor } from '../graph/tensor.js';
import { buildOp1, type OpOptions, type TensorLike } from './op_builder.js';

/**
 * Converts x to `dtype`. float32 -> int32 truncates toward zero; any -> bool is `x != 0`;
 * bool -> numbers gives 0 and 1. Casting to the same dtype passes the value through.
 *
 * @example
 * reduceMean(cast(equal(predicted, labels), 'float32')); // accuracy
 */
export function cast(x: TensorLike, dtype: DType, options: OpOptions = {}): Tensor {
  const target = assertDType(dtype, `cast${options.name ? ` '${options.name}'` : ''}`);
  return buildOp1({
    type: 'Cast',
    inputs: [x],
    options,
    attrs: { dtype: target },
    dtypeHint: 'none',
    infer: ([t]) => [{ dtype: target, shape: t!.shape }],
  });
}
