import type { Tensor } from '../graph/tensor.js';
import { buildOp1, shapeError, type OpOptions, type TensorLike } from './op_builder.js';
import { requireIntegerAxis } from './axis_arg.js';

/**
 * Inserts a dim of size 1 at `axis` (in [-rank-1, rank]; negative counts from the end).
 *
 * @example
 * expandDims([1, 2, 3], 0); // shape [1, 3]
 */
export function expandDims(x: TensorLike, axis: number, options: OpOptions = {}): Tensor {
  requireIntegerAxis(axis, options.name ?? 'ExpandDims');
  return buildOp1({
    type: 'ExpandDims',
    inputs: [x],
    options,
    attrs: { axis },
    infer: (inputs, opName) => {
      const t = inputs[0]!;
      if (t.shape === null) return [{ dtype: t.dtype, shape: null }];
      const rank = t.shape.length;
      if (axis < -rank - 1 || axis > rank) {
        throw shapeError(
          `Tried to expand dim index ${axis} for tensor with ${rank} dimensions`,
          opName,
          'ExpandDims',
          inputs,
        );
      }
      const at = axis < 0 ? axis + rank + 1 : axis;
      const shape = t.shape.slice();
      shape.splice(at, 0, 1);
      return [{ dtype: t.dtype, shape }];
    },
  });
}

/**
 * Removes dims of size 1: the listed `axis` ones (each must be 1), or all of them.
 *
 * @example
 * squeeze(x); // [1, 3, 1] -> [3]
 * squeeze(x, [2]); // [1, 3, 1] -> [1, 3]
 */
export function squeeze(x: TensorLike, axis?: number | readonly number[] | null, options: OpOptions = {}): Tensor {
  const axes = axis === undefined || axis === null ? null : typeof axis === 'number' ? [axis] : axis.slice();
  if (axes) for (const a of axes) requireIntegerAxis(a, options.name ?? 'Squeeze');
  return buildOp1({
    type: 'Squeeze',
    inputs: [x],
    options,
    attrs: { axis: axes },
    infer: (inputs, opName) => {
      const t = inputs[0]!;
      if (t.shape === null) return [{ dtype: t.dtype, shape: null }];
      const rank = t.shape.length;
      if (axes === null) {
        // An unknown dim might be 1 at run time, so the result's rank is unknown.
        if (t.shape.includes(null)) return [{ dtype: t.dtype, shape: null }];
        return [{ dtype: t.dtype, shape: t.shape.filter((d) => d !== 1) }];
      }
      const drop = new Set<number>();
      for (const a of axes) {
        if (a < -rank || a >= rank) {
          throw shapeError(
            `Tried to squeeze dim index ${a} for tensor with ${rank} dimensions`,
            opName,
            'Squeeze',
            inputs,
          );
        }
        const normal = a < 0 ? a + rank : a;
        const d = t.shape[normal];
        if (d !== null && d !== 1) {
          throw shapeError(
            `Can not squeeze dim[${normal}], expected a dimension of 1, got ${d}`,
            opName,
            'Squeeze',
            inputs,
          );
        }
        drop.add(normal);
      }
      return [{ dtype: t.dtype, shape: t.shape.filter((_, i) => !drop.has(i)) }];
    },
  });
}
