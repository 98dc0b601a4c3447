import type { DType } from '../dtype.js';
import { InvalidArgumentError } from '../errors.js';
import type { Tensor } from '../graph/tensor.js';
import { isFullyDefined, shapesEqual, type StaticShape } from '../ndarray/shape.js';
import { buildOp1, shapeError, type OpOptions } from './op_builder.js';

/**
 * Most specific static shape that all of `shapes` agree with (unknown dims filled from
 * others), or null when the ranks are unknown. Throws when two known dims disagree.
 */
export function mergeStaticShapes(
  shapes: readonly StaticShape[],
  opName: string,
  opType: string,
  inputs: readonly Tensor[],
): StaticShape {
  let merged: (number | null)[] | null = null;
  for (const shape of shapes) {
    if (shape === null) continue;
    if (merged === null) {
      merged = shape.slice();
      continue;
    }
    if (shape.length !== merged.length)
      throw shapeError(
        `Shapes must be equal rank, but are ${merged.length} and ${shape.length}`,
        opName,
        opType,
        inputs,
      );
    for (let i = 0; i < shape.length; i++) {
      const d = shape[i]!;
      const m = merged[i]!;
      if (d !== null && m !== null && d !== m)
        throw shapeError(`Dimension ${i} in both shapes must be equal, but are ${m} and ${d}`, opName, opType, inputs);
      if (m === null) merged[i] = d;
    }
  }
  return merged;
}

/**
 * Elementwise sum of same-shaped tensors (how gradient contributions of a tensor used several
 * times are combined). One input returns it unchanged.
 */
export function addN(tensors: readonly Tensor[], options: OpOptions = {}): Tensor {
  if (tensors.length === 0) throw new InvalidArgumentError('addN: needs at least one tensor');
  if (tensors.length === 1) return tensors[0]!;
  return buildOp1({
    type: 'AddN',
    inputs: tensors,
    options,
    infer: (inputs, opName) => {
      const dtype = inputs[0]!.dtype;
      for (const t of inputs) {
        if (t.dtype !== dtype) {
          throw new InvalidArgumentError(
            `AddN '${opName}': all inputs must have dtype ${dtype}, got ${t.dtype} for ${t.name}`,
          );
        }
      }
      return [
        {
          dtype,
          shape: mergeStaticShapes(
            inputs.map((t) => t.shape),
            opName,
            'AddN',
            inputs,
          ),
        },
      ];
    },
  });
}

/**
 * Sums `grad` over the axes along which `like` was broadcast, giving a tensor of `like`'s
 * (runtime) shape: the gradient of an input that numpy broadcasting stretched. Returns `grad`
 * itself when the static shapes already match exactly.
 */
export function sumToShape(grad: Tensor, like: Tensor, options: OpOptions = {}): Tensor {
  if (isFullyDefined(grad.shape) && like.shape !== null && shapesEqual(grad.shape, like.shape)) {
    return grad;
  }
  return buildOp1({
    type: 'SumToShape',
    inputs: [grad, like],
    options,
    infer: ([g, l], opName) => {
      if (g!.shape !== null && l!.shape !== null) {
        const offset = g!.shape.length - l!.shape.length;
        if (offset < 0)
          throw shapeError(
            `Cannot sum a rank ${g!.shape.length} tensor to rank ${l!.shape.length}`,
            opName,
            'SumToShape',
            [g!, l!],
          );
        l!.shape.forEach((d, i) => {
          const gd = g!.shape![i + offset]!;
          if (d !== null && gd !== null && d !== 1 && d !== gd) {
            throw shapeError(`Dimension ${i} of the target (${d}) is neither 1 nor ${gd}`, opName, 'SumToShape', [
              g!,
              l!,
            ]);
          }
        });
      }
      return [{ dtype: g!.dtype, shape: l!.shape }];
    },
  });
}

/** A tensor of `like`'s runtime shape filled with `value` (the default seed of gradients). */
export function fillLike(like: Tensor, value: number, dtype: DType = like.dtype, options: OpOptions = {}): Tensor {
  return buildOp1({
    type: 'FillLike',
    inputs: [like],
    options,
    attrs: { value, dtype },
    infer: ([l]) => [{ dtype, shape: l!.shape }],
  });
}
