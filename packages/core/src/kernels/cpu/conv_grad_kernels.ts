import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { formatShape, shapesEqual } from '../../ndarray/shape.js';
import { defineKernel, type KernelContext, type OpKernelContext, type OpKernelSpec } from '../../kernel_registry.js';
import type { ConvAttrs } from '../../graph/op_types.js';
import { convGeometry } from './Conv2D.js';
import { blockRows, col2imBlock, type ConvGeometry, im2colBlock } from './conv_patches.js';
import { heapResident } from '../../cpu_backend/heap_operands.js';
import { gemmFloat32 } from '../../cpu_backend/gemm.js';
import { outputArray, scratchFloat32, zeroedOutput } from './kernel_memory.js';
import { backpropInputGeometry, winogradApplies, winogradConv } from './conv_winograd.js';
import { winogradFilterGrad } from './conv_winograd_grad.js';
import { chunkedFilterGrad, chunkedFilterGradApplies } from './conv_filter_grad_chunks.js';

/**
 * The forward op's window geometry (convGeometry, as the forward kernels compute it), checked
 * against dy: a dy of any other shape would silently read or scatter the wrong pixels.
 */
function geometry(
  x: NDArray,
  dy: NDArray,
  kh: number,
  kw: number,
  ctx: KernelContext<ConvAttrs>,
  outC: number,
): ConvGeometry {
  if (x.rank !== 4)
    throw new InvalidArgumentError(
      `${ctx.op.type} '${ctx.op.name}': input must be rank 4 (NHWC), got ${formatShape(x.shape)}`,
    );
  const g = convGeometry(x.shape, kh, kw, outC, ctx);
  const expected = [g.batch, g.outH, g.outW, outC];
  if (!shapesEqual(dy.shape, expected)) {
    throw new InvalidArgumentError(
      `${ctx.op.type} '${ctx.op.name}': dy of shape ${formatShape(dy.shape)} does not match input ${formatShape(x.shape)} with ${outC} output channels (expected ${formatShape(expected)})`,
    );
  }
  return g;
}

/**
 * dL/dx as GEMM + col2im: per block of patch rows (spanning images), dPatches[rows, kh·kw·inC] =
 * dy[rows, outC] · filterᵀ, then each patch row is added back onto the input pixels it came from.
 */
function conv2DBackpropInputKernel(inputs: readonly NDArray[], ctx: OpKernelContext<'Conv2DBackpropInput'>): NDArray {
  const [x, filter, dy] = inputs as [NDArray, NDArray, NDArray];
  const [kh, kw, , outC] = filter.shape as [number, number, number, number];
  const g = geometry(x, dy, kh, kw, ctx, outC);
  // Winograd writes every element of dx; the col2im path adds onto zeros.
  const result = outputArray(ctx, 'float32', x.shape);
  const dx = result.data as Float32Array;
  const rows = g.batch * g.outH * g.outW;
  const asConv = backpropInputGeometry(g);
  const d = heapResident(ctx, dy.data as Float32Array);
  const f = filter.data as Float32Array;
  if (
    rows > 0 &&
    outC > 0 &&
    winogradApplies(ctx, asConv) &&
    winogradConv(ctx, d, f, true, dx, asConv, undefined, false)
  )
    return result;
  dx.fill(0);
  if (rows === 0 || outC === 0 || dx.length === 0) return result;
  const patchSize = kh * kw * g.inC;
  const block = blockRows(g);
  const dPatches = scratchFloat32(ctx, block * patchSize);
  for (let r0 = 0; r0 < rows; r0 += block) {
    const r1 = Math.min(rows, r0 + block);
    gemmFloat32(d, r0 * outC, f, 0, dPatches, 0, r1 - r0, outC, patchSize, false, true, ctx);
    col2imBlock(ctx, dPatches, dx, g, r0, r1);
  }
  return result;
}

/**
 * dL/dfilter as im2col + GEMM: per block of patch rows (spanning images), patchesᵀ[kh·kw·inC,
 * rows] · dy[rows, outC] is added onto the result by the GEMM itself.
 */
function conv2DBackpropFilterKernel(inputs: readonly NDArray[], ctx: OpKernelContext<'Conv2DBackpropFilter'>): NDArray {
  const [x, filter, dy] = inputs as [NDArray, NDArray, NDArray];
  const [kh, kw, , outC] = filter.shape as [number, number, number, number];
  const g = geometry(x, dy, kh, kw, ctx, outC);
  // Winograd and the chunked path write every element; the block loop adds onto zeros.
  const result = outputArray(ctx, 'float32', filter.shape);
  const df = result.data as Float32Array;
  const rows = g.batch * g.outH * g.outW;
  if (rows === 0 || filter.size === 0) {
    df.fill(0);
    return result;
  }
  const xd = heapResident(ctx, x.data as Float32Array);
  const d = heapResident(ctx, dy.data as Float32Array);
  if (winogradApplies(ctx, g) && winogradFilterGrad(ctx, xd, d, df, g)) return result;
  if (chunkedFilterGradApplies(ctx, g) && chunkedFilterGrad(ctx, xd, d, df, g)) return result;
  df.fill(0);
  const patchSize = kh * kw * g.inC;
  const block = blockRows(g);
  const patches = scratchFloat32(ctx, block * patchSize);
  for (let r0 = 0; r0 < rows; r0 += block) {
    const r1 = Math.min(rows, r0 + block);
    im2colBlock(ctx, xd, g, r0, r1, patches);
    gemmFloat32(patches, 0, d, r0 * outC, df, 0, patchSize, r1 - r0, outC, true, false, ctx, { accumulate: true });
  }
  return result;
}

function maxPoolGradKernel(inputs: readonly NDArray[], ctx: OpKernelContext<'MaxPoolGrad'>): NDArray {
  const [x, dy] = inputs as [NDArray, NDArray];
  const ksize = ctx.attrs.ksize;
  const kh = ksize[1]!;
  const kw = ksize[2]!;
  const g = geometry(x, dy, kh, kw, ctx, x.shape[3]!);
  const xv = x.data;
  const d = dy.data;
  const dx = zeroedOutput(ctx, 'float32', x.shape).data as Float32Array;
  const c = g.inC;
  for (let b = 0; b < g.batch; b++) {
    for (let oh = 0; oh < g.outH; oh++) {
      const h0 = Math.max(oh * g.sh - g.padTop, 0);
      const h1 = Math.min(oh * g.sh - g.padTop + kh, g.inH);
      for (let ow = 0; ow < g.outW; ow++) {
        const w0 = Math.max(ow * g.sw - g.padLeft, 0);
        const w1 = Math.min(ow * g.sw - g.padLeft + kw, g.inW);
        const dyBase = ((b * g.outH + oh) * g.outW + ow) * c;
        for (let ch = 0; ch < c; ch++) {
          // The first maximum in row-major window order takes the gradient, as in TF.
          let best = -1;
          let bestValue = -Infinity;
          for (let ih = h0; ih < h1; ih++) {
            for (let iw = w0; iw < w1; iw++) {
              const at = ((b * g.inH + ih) * g.inW + iw) * c + ch;
              if (best < 0 || xv[at]! > bestValue) {
                best = at;
                bestValue = xv[at]!;
              }
            }
          }
          if (best >= 0) dx[best] = dx[best]! + d[dyBase + ch]!;
        }
      }
    }
  }
  return new NDArray('float32', x.shape, dx);
}

/** Backward kernels of conv2d (input and filter) and maxPool, NHWC. */
export const convGradCpuKernels: OpKernelSpec[] = [
  defineKernel('Conv2DBackpropInput', 'cpu', conv2DBackpropInputKernel),
  defineKernel('Conv2DBackpropFilter', 'cpu', conv2DBackpropFilterKernel),
  defineKernel('MaxPoolGrad', 'cpu', maxPoolGradKernel),
];
