import { outputData } from './kernel_memory.js';
import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { computeStrides, formatShape } from '../../ndarray/shape.js';
import { defineKernel, type OpKernelSpec, type OpKernelContext } from '../../kernel_registry.js';
import { stridedCopy } from './strided_copy.js';

function transposeKernel(inputs: readonly NDArray[], ctx: OpKernelContext<'Transpose'>): NDArray {
  const x = inputs[0]!;
  const rank = x.rank;
  const perm = ctx.attrs.perm ?? x.shape.map((_, i) => rank - 1 - i);
  if (perm.length !== rank || new Set(perm).size !== rank || perm.some((p) => p < 0 || p >= rank)) {
    throw new InvalidArgumentError(
      `Transpose '${ctx.op.name}': perm ${JSON.stringify(perm)} does not fit shape ${formatShape(x.shape)}`,
    );
  }
  const inStrides = computeStrides(x.shape);
  const shape = perm.map((p) => x.shape[p]!);
  const out = outputData(ctx, x.dtype, x.size);
  stridedCopy(
    x.data,
    0,
    perm.map((p) => inStrides[p]!),
    shape,
    out,
  );
  return new NDArray(x.dtype, shape, out);
}

export const transposeCpuKernels: OpKernelSpec[] = [defineKernel('Transpose', 'cpu', transposeKernel)];
