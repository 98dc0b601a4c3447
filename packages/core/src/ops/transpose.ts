import { InvalidArgumentError } from '../errors.js';
import type { Tensor } from '../graph/tensor.js';
import { buildOp1, shapeError, type OpOptions, type TensorLike } from './op_builder.js';

/**
 * Permutes the dims: output dim i is input dim `perm[i]`; without `perm` the dims are reversed.
 *
 * @example
 * transpose(x); // [a, b] -> [b, a]
 * transpose(images, [0, 3, 1, 2]); // NHWC -> NCHW
 */
export function transpose(x: TensorLike, perm?: readonly number[] | null, options: OpOptions = {}): Tensor {
  if (
    perm !== undefined &&
    perm !== null &&
    !(Array.isArray(perm) && perm.every((p) => typeof p === 'number' && Number.isInteger(p)))
  ) {
    throw new InvalidArgumentError(
      `${options.name ?? 'Transpose'}: perm must be a list of integers, got ${JSON.stringify(perm)}`,
    );
  }
  return buildOp1({
    type: 'Transpose',
    inputs: [x],
    options,
    // null = reverse the dims (resolved by the kernel when the rank is unknown at build time).
    attrs: { perm: perm ? perm.slice() : null },
    infer: (inputs, opName) => {
      const t = inputs[0]!;
      if (t.shape === null) {
        return [{ dtype: t.dtype, shape: perm ? new Array<number | null>(perm.length).fill(null) : null }];
      }
      const rank = t.shape.length;
      const resolved = perm ?? t.shape.map((_, i) => rank - 1 - i);
      if (resolved.length !== rank) {
        throw shapeError(
          `Dimension must be ${rank} but is ${resolved.length} (perm ${JSON.stringify(resolved)})`,
          opName,
          'Transpose',
          inputs,
        );
      }
      const seen = new Set<number>();
      for (const p of resolved) {
        if (p < 0 || p >= rank || seen.has(p)) {
          throw shapeError(
            `perm ${JSON.stringify(resolved)} is not a permutation of 0..${rank - 1}`,
            opName,
            'Transpose',
            inputs,
          );
        }
        seen.add(p);
      }
      return [{ dtype: t.dtype, shape: resolved.map((p) => t.shape![p]!) }];
    },
  });
}

/** The permutation that undoes `perm` (what the gradient of a transpose uses). */
export function invertPermutation(perm: readonly number[]): number[] {
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => {
    inverse[p] = i;
  });
  return inverse;
}
