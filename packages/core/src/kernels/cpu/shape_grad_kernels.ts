import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { formatShape, normalizeAxis, shapeSize } from '../../ndarray/shape.js';
import { defineKernel, type KernelContext, type OpKernelContext, type OpKernelSpec } from '../../kernel_registry.js';
import { outputArray, outputData, zeroedFloat64, zeroedOutput } from './kernel_memory.js';

function concatGradKernel(inputs: readonly NDArray[], ctx: OpKernelContext<'ConcatGrad'>): NDArray {
  const dy = inputs[0]!;
  const xs = inputs.slice(1);
  const index = ctx.attrs.index;
  const axis = normalizeAxis(ctx.attrs.axis, dy.rank, `ConcatGrad '${ctx.op.name}'`);
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
  const out = outputData(ctx, 'float32', outer * rowOut) as Float32Array;
  const src = dy.data as Float32Array;
  for (let o = 0; o < outer; o++) {
    const start = o * rowIn + offset * inner;
    out.set(src.subarray(start, start + rowOut), o * rowOut);
  }
  return new NDArray('float32', target, out);
}

function gatherGradKernel(inputs: readonly NDArray[], ctx: OpKernelContext<'GatherGrad'>): NDArray {
  const [dy, indices, x] = inputs as [NDArray, NDArray, NDArray];
  const axis = normalizeAxis(ctx.attrs.axis, x.rank, `GatherGrad '${ctx.op.name}'`);
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
    if (i < 0 || i >= n)
      throw new InvalidArgumentError(`GatherGrad '${ctx.op.name}': indices[${k}] = ${i} is not in [0, ${n})`);
  }
  const g = dy.data;
  const out = zeroedOutput(ctx, 'float32', x.shape).data as Float32Array;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < count; k++) {
      const src = (o * count + k) * inner;
      const dst = (o * n + idx[k]!) * inner;
      for (let j = 0; j < inner; j++) out[dst + j] = out[dst + j]! + g[src + j]!;
    }
  }
  return new NDArray('float32', x.shape, out);
}

/** Sums dy (x tiled) back into x: element (c_0..c_n) of dy lands on (c_0 mod x_0, ...). */
function tileGradKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const [dy, x] = inputs as [NDArray, NDArray];
  const rank = x.rank;
  if (dy.rank !== rank || dy.shape.some((d, i) => (x.shape[i] === 0 ? d !== 0 : d % x.shape[i]! !== 0))) {
    throw new InvalidArgumentError(
      `TileGrad '${ctx.op.name}': dy of shape ${formatShape(dy.shape)} is not a tiling of ${formatShape(x.shape)}`,
    );
  }
  const out = zeroedFloat64(ctx, x.size);
  const g = dy.data;
  if (g.length > 0 && rank === 0) out[0] = g[0]!;
  else if (g.length > 0) {
    const xStrides = new Array<number>(rank).fill(0);
    for (let a = rank - 1, s = 1; a >= 0; a--) {
      xStrides[a] = s;
      s *= x.shape[a]!;
    }
    const inner = dy.shape[rank - 1]!;
    const innerX = x.shape[rank - 1]!;
    const counter = new Array<number>(rank).fill(0);
    const xCoord = new Array<number>(rank).fill(0);
    let base = 0;
    for (let src = 0; src < g.length; src += inner) {
      for (let k = 0, xi = 0; k < inner; k++) {
        out[base + xi] = out[base + xi]! + g[src + k]!;
        if (++xi === innerX) xi = 0;
      }
      for (let a = rank - 2; a >= 0; a--) {
        counter[a]!++;
        xCoord[a]!++;
        base += xStrides[a]!;
        if (xCoord[a] === x.shape[a]) {
          xCoord[a] = 0;
          base -= xStrides[a]! * x.shape[a]!;
        }
        if (counter[a]! < dy.shape[a]!) break;
        counter[a] = 0;
        // dy's extent is a multiple of x's, so the x coordinate has wrapped back to 0 as well.
      }
    }
  }
  const result = outputArray(ctx, 'float32', x.shape);
  for (let i = 0; i < out.length; i++) result.data[i] = out[i]!;
  return result;
}

/** Backward kernels of Concat, GatherV2 and Tile. */
export const shapeGradCpuKernels: OpKernelSpec[] = [
  defineKernel('ConcatGrad', 'cpu', concatGradKernel),
  defineKernel('GatherGrad', 'cpu', gatherGradKernel),
  { opType: 'TileGrad', device: 'cpu', kernel: tileGradKernel },
];
