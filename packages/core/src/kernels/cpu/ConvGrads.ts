import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { formatShape, shapesEqual } from '../../ndarray/shape.js';
import type { Padding } from '../../ops/conv_geometry.js';
import type { KernelContext, KernelSpec } from '../kernel_registry.js';
import { fillPatches, kernelWindow, ROWS_PER_BLOCK, scatterPatches } from './Conv2D.js';
import { gemmFloat32 } from './gemm.js';
import { outputArray, scratchFloat32, zeroedFloat64, zeroedOutput } from './kernel_memory.js';

interface Geometry {
  batch: number; inH: number; inW: number; inC: number;
  outH: number; outW: number; outC: number;
  kh: number; kw: number; sh: number; sw: number; padTop: number; padLeft: number;
}

/**
 * The forward op's window geometry (kernelWindow, as the forward kernels compute it), checked
 * against dy: a dy of any other shape would silently read or scatter the wrong pixels.
 */
function geometry(x: NDArray, dy: NDArray, kh: number, kw: number, ctx: KernelContext, outC: number): Geometry {
  const strides = ctx.attrs['strides'] as number[];
  const padding = ctx.attrs['padding'] as Padding;
  const sh = strides[1]!;
  const sw = strides[2]!;
  const [batch, inH, inW, inC] = x.shape as [number, number, number, number];
  if (x.rank !== 4) throw new InvalidArgumentError(`${ctx.op.type} '${ctx.op.name}': input must be rank 4 (NHWC), got ${formatShape(x.shape)}`);
  const rows = kernelWindow(ctx.op, inH, kh, sh, padding);
  const cols = kernelWindow(ctx.op, inW, kw, sw, padding);
  const expected = [batch, rows.out, cols.out, outC];
  if (!shapesEqual(dy.shape, expected)) {
    throw new InvalidArgumentError(
      `${ctx.op.type} '${ctx.op.name}': dy of shape ${formatShape(dy.shape)} does not match input ${formatShape(x.shape)} with ${outC} output channels (expected ${formatShape(expected)})`,
    );
  }
  return {
    batch, inH, inW, inC, outH: rows.out, outW: cols.out, outC, kh, kw, sh, sw,
    padTop: rows.padBefore,
    padLeft: cols.padBefore,
  };
}

/**
 * dL/dx as GEMM + col2im: per block of output pixels, dPatches[rows, kh·kw·inC] =
 * dy[rows, outC] · filterᵀ, then each patch row is added back onto the input pixels it came from.
 */
function conv2DBackpropInputKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const [x, filter, dy] = inputs as [NDArray, NDArray, NDArray];
  const [kh, kw, , outC] = filter.shape as [number, number, number, number];
  const g = geometry(x, dy, kh, kw, ctx, outC);
  const dx = zeroedOutput(ctx, 'float32', x.shape).data as Float32Array;
  const pixels = g.outH * g.outW;
  if (pixels === 0 || outC === 0 || dx.length === 0) return new NDArray('float32', x.shape, dx);
  const patchSize = kh * kw * g.inC;
  const blockRows = Math.min(pixels, ROWS_PER_BLOCK);
  const dPatches = scratchFloat32(ctx, blockRows * patchSize);
  const d = dy.data as Float32Array;
  const f = filter.data as Float32Array;
  for (let b = 0; b < g.batch; b++) {
    const image = b * g.inH * g.inW * g.inC;
    for (let p0 = 0; p0 < pixels; p0 += blockRows) {
      const p1 = Math.min(pixels, p0 + blockRows);
      gemmFloat32(d, (b * pixels + p0) * outC, f, 0, dPatches, 0, p1 - p0, outC, patchSize, false, true);
      scatterPatches(dPatches, dx, image, g.inH, g.inW, g.inC, kh, kw, g.sh, g.sw, g.padTop, g.padLeft, g.outW, p0, p1);
    }
  }
  return new NDArray('float32', x.shape, dx);
}

/**
 * dL/dfilter as im2col + GEMM: per block of output pixels, patchesᵀ[kh·kw·inC, rows] ·
 * dy[rows, outC], summed over blocks and images in float64.
 */
function conv2DBackpropFilterKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const [x, filter, dy] = inputs as [NDArray, NDArray, NDArray];
  const [kh, kw, , outC] = filter.shape as [number, number, number, number];
  const g = geometry(x, dy, kh, kw, ctx, outC);
  const pixels = g.outH * g.outW;
  const df = zeroedFloat64(ctx, filter.size);
  if (pixels > 0 && filter.size > 0) {
    const patchSize = kh * kw * g.inC;
    const blockRows = Math.min(pixels, ROWS_PER_BLOCK);
    const patches = scratchFloat32(ctx, blockRows * patchSize);
    const partial = scratchFloat32(ctx, filter.size);
    const xd = x.data as Float32Array;
    const d = dy.data as Float32Array;
    for (let b = 0; b < g.batch; b++) {
      const image = b * g.inH * g.inW * g.inC;
      for (let p0 = 0; p0 < pixels; p0 += blockRows) {
        const p1 = Math.min(pixels, p0 + blockRows);
        fillPatches(xd, image, g.inH, g.inW, g.inC, kh, kw, g.sh, g.sw, g.padTop, g.padLeft, g.outW, p0, p1, patches);
        gemmFloat32(patches, 0, d, (b * pixels + p0) * outC, partial, 0, patchSize, p1 - p0, outC, true, false);
        for (let i = 0; i < df.length; i++) df[i] = df[i]! + partial[i]!;
      }
    }
  }
  const out = outputArray(ctx, 'float32', filter.shape);
  for (let i = 0; i < df.length; i++) out.data[i] = df[i]!;
  return out;
}

function maxPoolGradKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const [x, dy] = inputs as [NDArray, NDArray];
  const ksize = ctx.attrs['ksize'] as number[];
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
export const convGradCpuKernels: KernelSpec[] = [
  { opType: 'Conv2DBackpropInput', device: 'cpu', kernel: conv2DBackpropInputKernel },
  { opType: 'Conv2DBackpropFilter', device: 'cpu', kernel: conv2DBackpropFilterKernel },
  { opType: 'MaxPoolGrad', device: 'cpu', kernel: maxPoolGradKernel },
];
