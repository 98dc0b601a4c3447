import { outputData } from './kernel_memory.js';
import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { computeStrides, formatShape } from '../../ndarray/shape.js';
import type { KernelContext, OpKernelSpec } from '../../kernel_registry.js';
import { stridedCopy } from './strided_copy.js';

/**
 * Along each axis the output index is `k * d + j` (repeat k, element j), i.e. the output is laid
 * out as [m0, d0, m1, d1, ...]: a strided copy with stride 0 over every repeat dim.
 */
function tileKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const x = inputs[0]!;
  const multiples = Array.from(inputs[1]!.data);
  if (multiples.length !== x.rank || multiples.some((m) => m < 0)) {
    throw new InvalidArgumentError(
      `Tile '${ctx.op.name}': multiples ${formatShape(multiples)} must have one non-negative entry per dim of the input ${formatShape(x.shape)}`,
    );
  }
  const inStrides = computeStrides(x.shape);
  const copyShape: number[] = [];
  const copyStrides: number[] = [];
  const outShape: number[] = [];
  for (let i = 0; i < x.rank; i++) {
    copyShape.push(multiples[i]!, x.shape[i]!);
    copyStrides.push(0, inStrides[i]!);
    outShape.push(multiples[i]! * x.shape[i]!);
  }
  const out = outputData(
    ctx,
    x.dtype,
    outShape.reduce((p, d) => p * d, 1),
  );
  stridedCopy(x.data, 0, copyStrides, copyShape, out);
  return new NDArray(x.dtype, outShape, out);
}

export const tileCpuKernels: OpKernelSpec[] = [{ opType: 'Tile', device: 'cpu', kernel: tileKernel }];
