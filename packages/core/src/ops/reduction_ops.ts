import type { OpType } from '../graph/op_types.js';
import { InvalidArgumentError } from '../errors.js';
import type { Tensor } from '../graph/tensor.js';
import type { StaticShape } from '../ndarray/shape.js';
import { buildOp1, requireDTypes, shapeError, type OpOptions, type TensorLike } from './op_builder.js';

/** Which axes to reduce: one axis, a list, or all of them (undefined/null). */
export type ReductionAxis = number | readonly number[] | null | undefined;

/**
 * Normalises reduction axes against a known rank: negative axes count from the end; an axis out
 * of range or given twice is an error naming the op.
 */
function normalizeReductionAxes(
  axes: readonly number[],
  rank: number,
  opName: string,
  opType: string,
  inputs: readonly Tensor[],
): number[] {
  const seen = new Set<number>();
  for (const axis of axes) {
    if (axis < -rank || axis >= rank) {
      throw shapeError(`Invalid reduction dimension ${axis} for input with ${rank} dimensions`, opName, opType, inputs);
    }
    const normal = axis < 0 ? axis + rank : axis;
    if (seen.has(normal)) throw shapeError(`Axes contains duplicate dimension: ${normal}`, opName, opType, inputs);
    seen.add(normal);
  }
  return [...seen].sort((x, y) => x - y);
}

function axisList(axis: ReductionAxis, what: string): number[] | null {
  if (axis === undefined || axis === null) return null;
  const list = typeof axis === 'number' ? [axis] : Array.isArray(axis) ? axis : undefined;
  if (!list?.every((a) => typeof a === 'number' && Number.isInteger(a))) {
    throw new InvalidArgumentError(
      `${what}: axis must be an integer or a list of integers, got ${JSON.stringify(axis)}`,
    );
  }
  return list.slice();
}

function reduction(type: OpType, x: TensorLike, axis: ReductionAxis, keepDims: boolean, options: OpOptions): Tensor {
  const axes = axisList(axis, options.name ?? type);
  if (typeof keepDims !== 'boolean') {
    // A truthy non-boolean would keep dims in shape inference but not in the kernel (`=== true`).
    throw new InvalidArgumentError(
      `${options.name ?? type}: keepDims must be a boolean, got ${JSON.stringify(keepDims)}`,
    );
  }
  return buildOp1({
    type,
    inputs: [x],
    options,
    // Axes as given (may be negative): the rank may be unknown until run time, so kernels normalise them.
    attrs: { axis: axes, keepDims },
    infer: (inputs, opName) => {
      const t = inputs[0]!;
      requireDTypes(t, ['float32', 'int32'], opName, type);
      return [{ dtype: t.dtype, shape: reducedShape(t.shape, axes, keepDims, opName, type, inputs) }];
    },
  });
}

function reducedShape(
  shape: StaticShape,
  axes: number[] | null,
  keepDims: boolean,
  opName: string,
  type: string,
  inputs: readonly Tensor[],
): StaticShape {
  if (shape === null) return axes === null && !keepDims ? [] : null;
  const reduced =
    axes === null ? shape.map((_, i) => i) : normalizeReductionAxes(axes, shape.length, opName, type, inputs);
  const out: (number | null)[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (!reduced.includes(i)) out.push(shape[i]!);
    else if (keepDims) out.push(1);
  }
  return out;
}

/**
 * Sum over `axis` (all axes when omitted); negative axes count from the end.
 *
 * @example
 * reduceSum([[1, 2], [3, 4]], 1); // [3, 7]
 * reduceSum(x, [0, -1], true);
 */
export function reduceSum(x: TensorLike, axis?: ReductionAxis, keepDims = false, options: OpOptions = {}): Tensor {
  return reduction('Sum', x, axis, keepDims, options);
}

/** Mean over `axis` (all axes when omitted). int32 means truncate, as in TF. */
export function reduceMean(x: TensorLike, axis?: ReductionAxis, keepDims = false, options: OpOptions = {}): Tensor {
  return reduction('Mean', x, axis, keepDims, options);
}

/** Maximum over `axis` (all axes when omitted); an empty reduction gives -Infinity (int32: the smallest int32). */
export function reduceMax(x: TensorLike, axis?: ReductionAxis, keepDims = false, options: OpOptions = {}): Tensor {
  return reduction('Max', x, axis, keepDims, options);
}

/** Minimum over `axis` (all axes when omitted); an empty reduction gives +Infinity (int32: the largest int32). */
export function reduceMin(x: TensorLike, axis?: ReductionAxis, keepDims = false, options: OpOptions = {}): Tensor {
  return reduction('Min', x, axis, keepDims, options);
}
