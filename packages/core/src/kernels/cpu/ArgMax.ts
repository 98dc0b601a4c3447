import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { formatShape, normalizeAxis, shapeSize } from '../../ndarray/shape.js';
import { defineKernel, type OpKernelSpec, type OpKernelContext } from '../../kernel_registry.js';
import { outputData, zeroedFloat64 } from './kernel_memory.js';

/** Rows along `axis` are compared a whole inner slab at a time, so every read is contiguous. */
function argMaxKernel(inputs: readonly NDArray[], ctx: OpKernelContext<'ArgMax'>): NDArray {
  const x = inputs[0]!;
  const rank = x.rank;
  const axis = normalizeAxis(ctx.attrs.axis, rank, `ArgMax '${ctx.op.name}'`);
  const n = x.shape[axis]!;
  const outer = shapeSize(x.shape.slice(0, axis));
  const inner = shapeSize(x.shape.slice(axis + 1));
  const outShape = x.shape.filter((_, i) => i !== axis);
  const out = outputData(ctx, 'int32', outer * inner);
  out.fill(0);
  if (out.length === 0) return new NDArray('int32', outShape, out);
  if (n === 0)
    throw new InvalidArgumentError(
      `Reduction axis ${axis} is empty in shape ${formatShape(x.shape)} (op '${ctx.op.name}')`,
    );
  const data = x.data;
  const best = zeroedFloat64(ctx, inner);
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    const outBase = o * inner;
    for (let i = 0; i < inner; i++) best[i] = data[base + i]!;
    for (let a = 1; a < n; a++) {
      const row = base + a * inner;
      for (let i = 0; i < inner; i++) {
        const v = data[row + i]!;
        if (v > best[i]!) {
          best[i] = v;
          out[outBase + i] = a;
        }
      }
    }
  }
  return new NDArray('int32', outShape, out);
}

export const argMaxCpuKernels: OpKernelSpec[] = [defineKernel('ArgMax', 'cpu', argMaxKernel)];
