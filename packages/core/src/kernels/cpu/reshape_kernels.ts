import { InvalidArgumentError } from '../../errors.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { formatShape } from '../../ndarray/shape.js';
import { defineKernel, type KernelContext, type OpKernelContext, type OpKernelSpec } from '../../kernel_registry.js';

// Reshape, ExpandDims and Squeeze only change the shape: the result views the input's data.
// Kernels never write their inputs, and the session copies any fetched value that views a
// constant's or variable's storage, so sharing is safe.
function withShape(x: NDArray, shape: readonly number[]): NDArray {
  return x.reshape(shape);
}

function reshapeKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const x = inputs[0]!;
  const requested = Array.from(inputs[1]!.data);
  let inferredAt = -1;
  let known = 1;
  for (let i = 0; i < requested.length; i++) {
    const d = requested[i]!;
    if (d === -1 && inferredAt < 0) inferredAt = i;
    else if (d < 0) throw new InvalidArgumentError(`Reshape '${ctx.op.name}': invalid shape ${formatShape(requested)}`);
    else known *= d;
  }
  if (inferredAt >= 0) {
    if (known === 0 ? x.size !== 0 : x.size % known !== 0) throw reshapeSizeError(ctx, x, requested);
    requested[inferredAt] = known === 0 ? 0 : x.size / known;
  } else if (known !== x.size) {
    throw reshapeSizeError(ctx, x, requested);
  }
  return withShape(x, requested);
}

function reshapeSizeError(ctx: KernelContext, x: NDArray, requested: readonly number[]): InvalidArgumentError {
  return new InvalidArgumentError(
    `Input to reshape is a tensor with ${x.size} values, but the requested shape ${formatShape(requested)} does not fit (op '${ctx.op.name}', input shape ${formatShape(x.shape)})`,
  );
}

function expandDimsKernel(inputs: readonly NDArray[], ctx: OpKernelContext<'ExpandDims'>): NDArray {
  const x = inputs[0]!;
  const axis = ctx.attrs.axis;
  const rank = x.rank;
  if (axis < -rank - 1 || axis > rank) {
    throw new InvalidArgumentError(
      `ExpandDims '${ctx.op.name}': axis ${axis} is out of range for shape ${formatShape(x.shape)}`,
    );
  }
  const shape = x.shape.slice();
  shape.splice(axis < 0 ? axis + rank + 1 : axis, 0, 1);
  return withShape(x, shape);
}

function squeezeKernel(inputs: readonly NDArray[], ctx: OpKernelContext<'Squeeze'>): NDArray {
  const x = inputs[0]!;
  const axes = ctx.attrs.axis;
  if (axes === null)
    return withShape(
      x,
      x.shape.filter((d) => d !== 1),
    );
  const rank = x.rank;
  const drop = new Set<number>();
  for (const a of axes) {
    const normal = a < 0 ? a + rank : a;
    if (normal < 0 || normal >= rank || x.shape[normal] !== 1) {
      throw new InvalidArgumentError(
        `Can not squeeze dim[${a}], expected a dimension of 1, got shape ${formatShape(x.shape)} (op '${ctx.op.name}')`,
      );
    }
    drop.add(normal);
  }
  return withShape(
    x,
    x.shape.filter((_, i) => !drop.has(i)),
  );
}

export const reshapeCpuKernels: OpKernelSpec[] = [
  { opType: 'Reshape', device: 'cpu', kernel: reshapeKernel },
  defineKernel('ExpandDims', 'cpu', expandDimsKernel),
  defineKernel('Squeeze', 'cpu', squeezeKernel),
];
