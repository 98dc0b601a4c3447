import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { formatShape, normalizeAxis, shapeSize } from '../../ndarray/shape.js';
import type { KernelContext, KernelSpec } from '../kernel_registry.js';

function concatGradKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const dy = inputs[0]!;
  const xs = inputs.slice(1);
  const index = ctx.attrs['index'] as number;
  const axis = normalizeAxis(ctx.attrs['axis'] as number, dy.rank, `ConcatGrad '${ctx.op.name}'`);
  let offset = 0;
  for (let k = 0; k < index; k++) offset += xs[k]!.shape[axis]!;
  const target = xs[index]!.shape;
  const width = target[axis]!;
  if (offset + width > dy.shape[axis]!) {
    throw new InvalidArgumentError(
      `ConcatGrad '${ctx.op.name}': slice [${offset}, ${offset + width}) of axis ${axis} is outside dy of shape ${formatShape(dy.shape)}`,
    );
  }
  const outer = shapeSize(dy.shape.slice(0, axis));
  const inner = shapeSize(dy.shape.slice(axis + 1));
  const rowIn = dy.shape[axis]! * inner;
  const rowOut = width * inner;
  const out = new Float32Array(outer * rowOut);
  const src = dy.data as Float32Array;
  for (let o = 0; o < outer; o++) {
    const start = o * rowIn + offset * inner;
    out.set(src.subarray(start, start + rowOut), o * rowOut);
  }
  return new NDArray('float32', target, out);
}

function gatherGradKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const [dy, indices, x] = inputs as [NDArray, NDArray, NDArray];
  const axis = normalizeAxis(ctx.attrs['axis'] as number, x.rank, `GatherGrad '${ctx.op.name}'`);
  const outer = shapeSize(x.shape.slice(0, axis));
  const n = x.shape[axis]!;
  const inner = shapeSize(x.shape.slice(axis + 1));
  const count = indices.size;
  if (dy.size !== outer * count * inner) {
    throw new InvalidArgumentError(
      `GatherGrad '${ctx.op.name}': dy of shape ${formatShape(dy.shape)} does not match params ${formatShape(x.shape)} gathered with indices ${formatShape(indices.shape)}`,
    );
  }
  const idx = indices.data;
  for (let k = 0; k < count; k++) {
    const i = idx[k]!;
    if (i < 0 || i >= n) throw new InvalidArgumentError(`GatherGrad '${ctx.op.name}': indices[${k}] = ${i} is not in [0, ${n})`);
  }
  const g = dy.data;
  const out = new Float32Array(x.size);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < count; k++) {
      const src = (o * count + k) * inner;
      const dst = (o * n + idx[k]!) * inner;
      for (let j = 0; j < inner; j++) out[dst + j] = out[dst + j]! + g[src + j]!;
    }
  }
  return new NDArray('float32', x.shape, out);
}

/** Backward kernels of Concat and GatherV2. */
export const shapeGradCpuKernels: KernelSpec[] = [
  { opType: 'ConcatGrad', device: 'cpu', kernel: concatGradKernel },
  { opType: 'GatherGrad', device: 'cpu', kernel: gatherGradKernel },
];
