import { InvalidArgumentError } from '../errors.js';
import type { Tensor } from '../graph/tensor.js';
import { buildOp1, requireSameDTypes, shapeError, type OpOptions, type TensorLike } from './op_builder.js';
import { requireIntegerAxis } from './axis_arg.js';

/**
 * Joins tensors along `axis`; all other dims must agree.
 *
 * @example
 * concat([[[1, 2]], [[3, 4]]], 0); // [[1, 2], [3, 4]]
 */
export function concat(xs: readonly TensorLike[], axis: number, options: OpOptions = {}): Tensor {
  const what = options.name ?? 'Concat';
  if (!Array.isArray(xs) || xs.length === 0)
    throw new InvalidArgumentError(`${what}: expected a non-empty list of tensors`);
  requireIntegerAxis(axis, what);
  return buildOp1({
    type: 'Concat',
    inputs: xs,
    options,
    attrs: { axis },
    infer: (inputs, opName) => {
      const dtype = requireSameDTypes(inputs, opName, 'Concat');
      const known = inputs.filter((t) => t.shape !== null);
      if (known.length === 0) return [{ dtype, shape: null }];
      const rank = known[0]!.shape!.length;
      for (const t of known) {
        if (t.shape!.length !== rank)
          throw shapeError(`Shape must be rank ${rank} but is rank ${t.shape!.length}`, opName, 'Concat', inputs);
      }
      if (axis < -rank || axis >= rank) {
        throw shapeError(
          `Expected concatenating dimension in the range [${-rank}, ${rank}), but got ${axis}`,
          opName,
          'Concat',
          inputs,
        );
      }
      const at = axis < 0 ? axis + rank : axis;
      const out: (number | null)[] = new Array<number | null>(rank).fill(null);
      let total: number | null = 0;
      for (const t of inputs) {
        if (t.shape === null) {
          total = null;
          continue;
        }
        t.shape.forEach((d, i) => {
          if (i === at) return;
          const current = out[i]!;
          if (current !== null && d !== null && current !== d) {
            throw shapeError(
              `Dimension ${i} in both shapes must be equal, but are ${current} and ${d}`,
              opName,
              'Concat',
              inputs,
            );
          }
          if (current === null) out[i] = d;
        });
        const d = t.shape[at]!;
        total = total === null || d === null ? null : total + d;
      }
      out[at] = total;
      return [{ dtype, shape: out }];
    },
  });
}
