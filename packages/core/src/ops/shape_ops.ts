import type { Tensor } from '../graph/tensor.js';
import type { StaticShape } from '../ndarray/shape.js';
import { buildOp1, requireDTypes, shapeError, type OpOptions, type TensorLike } from './op_builder.js';
import { intListInput, staticShapeFromTensor } from './static_value.js';

/**
 * The run-time shape of `x` as a 1-D int32 tensor.
 *
 * @example
 * reshape(grad, shape(x));
 */
export function shape(x: TensorLike, options: OpOptions = {}): Tensor {
  return buildOp1({
    type: 'Shape',
    inputs: [x],
    options,
    infer: ([t]) => [{ dtype: 'int32', shape: [t!.shape === null ? null : t!.shape.length] }],
  });
}

/** The number of elements of `x` as an int32 scalar. */
export function size(x: TensorLike, options: OpOptions = {}): Tensor {
  return buildOp1({ type: 'Size', inputs: [x], options, infer: () => [{ dtype: 'int32', shape: [] }] });
}

/**
 * Repeats `x` `multiples[i]` times along dim i (`multiples` may be a 1-D int32 tensor).
 *
 * @example
 * tile([[1, 2]], [2, 3]); // shape [2, 6]
 */
export function tile(x: TensorLike, multiples: readonly number[] | TensorLike, options: OpOptions = {}): Tensor {
  const multiplesInput = intListInput(multiples, `${options.name ?? 'Tile'}: multiples`) as TensorLike;
  return buildOp1({
    type: 'Tile',
    inputs: [x, multiplesInput],
    options,
    infer: (inputs, opName) => {
      const [t, m] = inputs as [Tensor, Tensor];
      requireDTypes(m, ['int32'], opName, 'Tile');
      const counts = staticShapeFromTensor(m);
      const rank = t.shape?.length ?? counts?.length ?? null;
      if (rank === null) return [{ dtype: t.dtype, shape: null }];
      if (counts !== null && counts.length !== rank) {
        throw shapeError(
          `Shape must be rank ${rank} but multiples has length ${counts.length}`,
          opName,
          'Tile',
          inputs,
        );
      }
      const out: (number | null)[] = [];
      for (let i = 0; i < rank; i++) {
        const d = t.shape?.[i] ?? null;
        const c = counts?.[i] ?? null;
        out.push(d === null || c === null ? null : d * c);
      }
      return [{ dtype: t.dtype, shape: out }];
    },
  });
}

/**
 * Broadcasts `x` to `shape` with numpy rules (dims aligned from the right; each input dim is 1 or
 * equal). `shape` may be a 1-D int32 tensor, e.g. `shape(other)`.
 *
 * @example
 * broadcastTo([1, 2, 3], [2, 3]); // [[1, 2, 3], [1, 2, 3]]
 */
export function broadcastTo(
  x: TensorLike,
  targetShape: readonly number[] | TensorLike,
  options: OpOptions = {},
): Tensor {
  const shapeInput = intListInput(targetShape, `${options.name ?? 'BroadcastTo'}: shape`) as TensorLike;
  return buildOp1({
    type: 'BroadcastTo',
    inputs: [x, shapeInput],
    options,
    infer: (inputs, opName) => {
      const [t, s] = inputs as [Tensor, Tensor];
      requireDTypes(s, ['int32'], opName, 'BroadcastTo');
      const target = staticShapeFromTensor(s);
      return [{ dtype: t.dtype, shape: broadcastTargetShape(t.shape, target, opName, inputs) }];
    },
  });
}

/** Checks numpy broadcasting statically; an unknown target dim is known when the input dim there is > 1. */
function broadcastTargetShape(
  input: StaticShape,
  target: StaticShape,
  opName: string,
  inputs: readonly Tensor[],
): StaticShape {
  if (input === null || target === null) return target;
  if (input.length > target.length) {
    throw shapeError(
      `Rank of input (${input.length}) must be no greater than rank of output shape (${target.length})`,
      opName,
      'BroadcastTo',
      inputs,
    );
  }
  const out = target.slice();
  const offset = target.length - input.length;
  for (let i = 0; i < input.length; i++) {
    const d = input[i] ?? null;
    const t = target[offset + i] ?? null;
    if (d !== null && t !== null && d !== 1 && d !== t) {
      throw shapeError(
        `Dimensions must be equal or 1, but are ${d} and ${t} (input dim ${i})`,
        opName,
        'BroadcastTo',
        inputs,
      );
    }
    if (t === null && d !== null && d !== 1) out[offset + i] = d;
  }
  return out;
}
