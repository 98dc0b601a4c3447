import type { InvalidArgumentError } from '../errors.js';
import type { Tensor } from '../graph/tensor.js';
import { formatShape } from '../ndarray/shape.js';
import { buildOp1, requireDTypes, shapeError, type OpOptions, type TensorLike } from './op_builder.js';
import { intListInput, staticShapeFromTensor } from './static_value.js';

/**
 * The same values with a new shape; one entry may be -1 (inferred from the size). `shape` may
 * also be a 1-D int32 tensor, e.g. `shape(other)`.
 *
 * @example
 * reshape(x, [-1, 784]);
 */
export function reshape(x: TensorLike, shape: readonly number[] | TensorLike, options: OpOptions = {}): Tensor {
  const shapeInput = intListInput(shape, `${options.name ?? 'Reshape'}: shape`, true) as TensorLike;
  return buildOp1({
    type: 'Reshape',
    inputs: [x, shapeInput],
    options,
    infer: (inputs, opName) => {
      const [t, s] = inputs as [Tensor, Tensor];
      requireDTypes(s, ['int32'], opName, 'Reshape');
      if (s.shape !== null && s.shape.length !== 1) {
        throw shapeError(`Shape must be rank 1 but is rank ${s.shape.length}`, opName, 'Reshape', inputs);
      }
      const target = staticShapeFromTensor(s);
      if (target === null) return [{ dtype: t.dtype, shape: null }];
      return [{ dtype: t.dtype, shape: resolveReshape(t.shape, target, opName, inputs) }];
    },
  });
}

/** Fills in a -1 from the input's static size and checks sizes when both are known. */
function resolveReshape(
  input: readonly (number | null)[] | null,
  target: (number | null)[],
  opName: string,
  inputs: readonly Tensor[],
): (number | null)[] {
  let inferredAt = -1;
  let knownProduct = 1;
  let allKnown = true;
  target.forEach((d, i) => {
    if (d === -1) {
      if (inferredAt >= 0)
        throw shapeError(
          `Cannot infer multiple unknown dimensions in shape ${formatShape(target)}`,
          opName,
          'Reshape',
          inputs,
        );
      inferredAt = i;
    } else if (d === null) {
      allKnown = false;
    } else if (d < -1) {
      throw shapeError(`Size ${i} must be non-negative, not ${d}`, opName, 'Reshape', inputs);
    } else {
      knownProduct *= d;
    }
  });
  const inputSize = input?.every((d) => d !== null) ? input.reduce<number>((p, d) => p * d!, 1) : null;
  const out = target.slice();
  if (inferredAt >= 0) {
    if (inputSize !== null && allKnown) {
      if (knownProduct === 0 ? inputSize !== 0 : inputSize % knownProduct !== 0)
        throw sizeError(inputSize, target, opName, inputs);
      out[inferredAt] = knownProduct === 0 ? 0 : inputSize / knownProduct;
    } else {
      out[inferredAt] = null;
    }
  } else if (inputSize !== null && allKnown && inputSize !== knownProduct) {
    throw sizeError(inputSize, target, opName, inputs);
  }
  return out;
}

function sizeError(
  inputSize: number,
  target: readonly (number | null)[],
  opName: string,
  inputs: readonly Tensor[],
): InvalidArgumentError {
  const wanted = target.reduce<number>((p, d) => (d === null || d === -1 ? p : p * d), 1);
  return shapeError(
    `Cannot reshape a tensor with ${inputSize} elements to shape ${formatShape(target)} (${wanted} elements)`,
    opName,
    'Reshape',
    inputs,
  );
}
