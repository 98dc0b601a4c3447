import { InvalidArgumentError } from '../errors.js';
import type { Tensor } from '../graph/tensor.js';
import {
  buildOp1,
  requireDTypes,
  requireSameDTypes,
  shapeError,
  type OpOptions,
  type TensorLike,
} from './op_builder.js';

export interface MatMulOptions extends OpOptions {
  transposeA?: boolean;
  transposeB?: boolean;
}

/**
 * Matrix product of the last two dims of `a` and `b` (optionally transposed); leading dims are
 * batch dims and must be equal.
 *
 * @example
 * matMul(x, w); // [batch, in] x [in, out] -> [batch, out]
 * matMul(a, b, { transposeB: true });
 */
export function matMul(a: TensorLike, b: TensorLike, options: MatMulOptions = {}): Tensor {
  const transposeA = booleanFlag(options.transposeA, 'transposeA', options);
  const transposeB = booleanFlag(options.transposeB, 'transposeB', options);
  return buildOp1({
    type: 'MatMul',
    inputs: [a, b],
    options,
    attrs: { transposeA, transposeB },
    infer: (inputs, opName) => {
      const [ta, tb] = inputs as [Tensor, Tensor];
      const dtype = requireSameDTypes(inputs, opName, 'MatMul');
      requireDTypes(ta, ['float32', 'int32'], opName, 'MatMul');
      const sa = ta.shape;
      const sb = tb.shape;
      for (const s of [sa, sb]) {
        if (s !== null && s.length < 2)
          throw shapeError(`Shape must be at least rank 2 but is rank ${s.length}`, opName, 'MatMul', inputs);
      }
      if (sa === null || sb === null) {
        if (sa === null && sb === null) return [{ dtype, shape: null }];
        const known = (sa ?? sb)!;
        if (known.length > 2) return [{ dtype, shape: null }];
      }
      const rank = sa?.length ?? sb!.length;
      if (sa !== null && sb !== null && sa.length !== sb.length) {
        throw shapeError(`Shape must be rank ${sa.length} but is rank ${sb.length}`, opName, 'MatMul', inputs);
      }
      const shape: (number | null)[] = [];
      for (let i = 0; i < rank - 2; i++) {
        const da = sa?.[i] ?? null;
        const db = sb?.[i] ?? null;
        if (da !== null && db !== null && da !== db) {
          throw shapeError(`Dimensions must be equal, but are ${da} and ${db}`, opName, 'MatMul', inputs);
        }
        shape.push(da ?? db);
      }
      const m = sa === null ? null : sa[rank - (transposeA ? 1 : 2)]!;
      const kA = sa === null ? null : sa[rank - (transposeA ? 2 : 1)]!;
      const kB = sb === null ? null : sb[rank - (transposeB ? 1 : 2)]!;
      const n = sb === null ? null : sb[rank - (transposeB ? 2 : 1)]!;
      if (kA !== null && kB !== null && kA !== kB) {
        throw shapeError(`Dimensions must be equal, but are ${kA} and ${kB}`, opName, 'MatMul', inputs);
      }
      shape.push(m, n);
      return [{ dtype, shape }];
    },
  });
}

/** A truthy non-boolean (1, 'yes') would transpose in shape inference but not in the kernel (`=== true`). */
function booleanFlag(value: unknown, flag: string, options: OpOptions): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    throw new InvalidArgumentError(
      `${options.name ?? 'MatMul'}: ${flag} must be a boolean, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
