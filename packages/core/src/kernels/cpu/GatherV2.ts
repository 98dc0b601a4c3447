import { outputData } from './kernel_memory.js';
import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { formatShape, normalizeAxis, shapeSize } from '../../ndarray/shape.js';
import { defineKernel, type OpKernelSpec, type OpKernelContext } from '../../kernel_registry.js';

/** Seen as params [outer, n, inner]: every index copies one contiguous `inner` slice per outer row. */
function gatherKernel(inputs: readonly NDArray[], ctx: OpKernelContext<'GatherV2'>): NDArray {
  const params = inputs[0]!;
  const indices = inputs[1]!;
  const rank = params.rank;
  const axis = normalizeAxis(ctx.attrs.axis, rank, `GatherV2 '${ctx.op.name}'`);
  const n = params.shape[axis]!;
  const idx = indices.data;
  // Validate every index before copying, so the error names the first bad one.
  for (let j = 0; j < idx.length; j++) {
    const v = idx[j]!;
    if (v < 0 || v >= n) {
      throw new InvalidArgumentError(
        `indices[${multiIndex(j, indices.shape)}] = ${v} is not in [0, ${n}) (op '${ctx.op.name}', gathering axis ${axis} of params with shape ${formatShape(params.shape)})`,
      );
    }
  }
  const outer = shapeSize(params.shape.slice(0, axis));
  const inner = shapeSize(params.shape.slice(axis + 1));
  const outShape = [...params.shape.slice(0, axis), ...indices.shape, ...params.shape.slice(axis + 1)];
  const count = idx.length;
  const out = outputData(ctx, params.dtype, outer * count * inner);
  const data = params.data;
  let dst = 0;
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    for (let j = 0; j < count; j++) {
      const src = base + idx[j]! * inner;
      if (inner >= 32) out.set(data.subarray(src, src + inner), dst);
      else for (let k = 0; k < inner; k++) out[dst + k] = data[src + k]!;
      dst += inner;
    }
  }
  return new NDArray(params.dtype, outShape, out);
}

/** `1,0` for flat position 2 of shape [2,2]: how TF names an index position. */
function multiIndex(flat: number, shape: readonly number[]): string {
  const parts: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    parts.unshift(flat % shape[d]!);
    flat = Math.floor(flat / shape[d]!);
  }
  return parts.join(',');
}

export const gatherCpuKernels: OpKernelSpec[] = [defineKernel('GatherV2', 'cpu', gatherKernel)];
