import type { Tensor } from '../graph/tensor.js';
import { broadcastStaticShapesN } from './broadcast_shape.js';
import { operandDTypeHint } from './operand_dtype.js';
import {
  buildOp1,
  type OpOptions,
  requireDTypes,
  requireSameDTypes,
  resolveGraph,
  type TensorLike,
  toTensor,
} from './op_builder.js';

/**
 * Picks `a` where `cond` is true and `b` elsewhere; cond, a and b broadcast against each other
 * (numpy `where`, TF2's `where_v2` semantics). cond must be bool; a and b share a dtype, and
 * plain numbers take the dtype of a or b when one is typed (Tensor, Variable or NDArray).
 *
 * @example
 * where(greater(x, 0), x, mul(x, 0.01)); // leaky relu
 */
export function where(cond: TensorLike, a: TensorLike, b: TensorLike, options: OpOptions = {}): Tensor {
  const graph = resolveGraph([cond, a, b]);
  const label = options.name ?? 'Select';
  // The value dtype comes from a or b, never from the bool condition.
  const valueHint = operandDTypeHint([a, b]);
  const inputs = [
    toTensor(cond, graph, undefined, `${label} condition`),
    toTensor(a, graph, valueHint, `${label} input a`),
    toTensor(b, graph, valueHint, `${label} input b`),
  ];
  return buildOp1({
    type: 'Select',
    inputs,
    options,
    infer: ([c, x, y], opName) => {
      requireDTypes(c!, ['bool'], opName, 'Select');
      const dtype = requireSameDTypes([x!, y!], opName, 'Select');
      return [{ dtype, shape: broadcastStaticShapesN([c!.shape, x!.shape, y!.shape], opName, 'Select', [c!, x!, y!]) }];
    },
  });
}
