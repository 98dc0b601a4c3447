import { InvalidArgumentError, UnimplementedError } from '../../errors.js';
import type { Operation } from '../../graph/operation.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { formatShape, shapesEqual } from '../../ndarray/shape.js';
import type { KernelContext } from '../../kernel_registry.js';

/** `'Add_1' (op: 'Add')`: how kernel errors name the op that failed. */
export function describeOp(op: Operation): string {
  return `'${op.name}' (op: '${op.type}')`;
}

/** Re-raises an error thrown inside an element loop with the op's name appended. */
export function withOpContext(error: unknown, op: Operation): never {
  if (error instanceof InvalidArgumentError) throw new InvalidArgumentError(`${error.message} in ${describeOp(op)}`);
  throw error;
}

/** No cpu loop exists for this dtype (op validation should have rejected it at build time). */
export function unsupportedDType(op: Operation, dtype: string): UnimplementedError {
  return new UnimplementedError(`No cpu kernel for ${describeOp(op)} with dtype ${dtype}`);
}

/** For elementwise backward kernels whose two inputs must have one shape. */
export function requireSameShape(a: NDArray, b: NDArray, ctx: KernelContext): void {
  if (!shapesEqual(a.shape, b.shape)) {
    throw new InvalidArgumentError(
      `${ctx.op.type} '${ctx.op.name}': inputs must have the same shape, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
}
