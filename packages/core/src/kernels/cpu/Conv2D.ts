import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { formatShape } from '../../ndarray/shape.js';
import { windowOutput, type Padding } from '../../ops/conv_geometry.js';
import type { Operation } from '../../graph/operation.js';
import type { KernelContext, KernelSpec } from '../kernel_registry.js';
import { withOpContext } from './kernel_errors.js';
import { gemmFloat32 } from './gemm.js';
import { outputData, scratchFloat32 } from './kernel_memory.js';

/** windowOutput for a kernel: its error (a window larger than the fed input) names the op. */
export function kernelWindow(op: Operation, input: number, k: number, stride: number, padding: Padding): { out: number; padBefore: number } {
  try {
    return windowOutput(input, k, stride, padding) as { out: number; padBefore: number };
  } catch (error) {
    return withOpContext(error, op);
  }
}

/** Output rows per im2col block: bounds the patch matrix (rows × kh·kw·c floats) for big images. */
export const ROWS_PER_BLOCK = 1024;

/**
 * Conv2D as im2col + the blocked gemm: every output pixel's receptive field (kh·kw·c values,
 * in HWIO filter order) becomes one row of a patch matrix, and
 * out[pixels, o] = patches[pixels, kh·kw·c] · filter[kh·kw·c, o]. NHWC makes both the patch
 * rows (runs of c contiguous channels) and the output rows contiguous. A 1x1 stride-1
 * convolution is the gemm on the input itself.
 */
function conv2dKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const x = inputs[0]!;
  const filter = inputs[1]!;
  if (x.rank !== 4 || filter.rank !== 4 || x.shape[3] !== filter.shape[2]) {
    throw new InvalidArgumentError(
      `Conv2D '${ctx.op.name}': input ${formatShape(x.shape)} (NHWC) and filter ${formatShape(filter.shape)} (HWIO) do not fit: input depth must equal the filter's in-channels`,
    );
  }
  const [batch, height, width, channels] = x.shape as [number, number, number, number];
  const [kh, kw, , outChannels] = filter.shape as [number, number, number, number];
  const strides = ctx.attrs['strides'] as number[];
  const sh = strides[1]!;
  const sw = strides[2]!;
  const padding = ctx.attrs['padding'] as Padding;
  const rowsGeom = kernelWindow(ctx.op, height, kh, sh, padding);
  const colsGeom = kernelWindow(ctx.op, width, kw, sw, padding);
  const outH = rowsGeom.out;
  const outW = colsGeom.out;
  const out = outputData(ctx, 'float32', batch * outH * outW * outChannels) as Float32Array;
  const result = new NDArray('float32', [batch, outH, outW, outChannels], out);
  if (out.length === 0) return result;
  const xd = x.data as Float32Array;
  const fd = filter.data as Float32Array;
  const patchSize = kh * kw * channels;
  if (kh === 1 && kw === 1 && sh === 1 && sw === 1) {
    gemmFloat32(xd, 0, fd, 0, out, 0, batch * height * width, channels, outChannels, false, false);
    return result;
  }
  const pixels = outH * outW;
  const blockRows = Math.min(pixels, ROWS_PER_BLOCK);
  const patches = scratchFloat32(ctx, blockRows * patchSize);
  for (let n = 0; n < batch; n++) {
    const image = n * height * width * channels;
    for (let p0 = 0; p0 < pixels; p0 += blockRows) {
      const p1 = Math.min(pixels, p0 + blockRows);
      fillPatches(xd, image, height, width, channels, kh, kw, sh, sw, rowsGeom.padBefore, colsGeom.padBefore, outW, p0, p1, patches);
      gemmFloat32(patches, 0, fd, 0, out, (n * pixels + p0) * outChannels, p1 - p0, patchSize, outChannels, false, false);
    }
  }
  return result;
}

/** Patch rows for output pixels [p0, p1) of one image; taps in the padding are zeros. */
export function fillPatches(
  x: Float32Array, image: number, height: number, width: number, channels: number,
  kh: number, kw: number, sh: number, sw: number, padTop: number, padLeft: number, outW: number,
  p0: number, p1: number, patches: Float32Array,
): void {
  const patchSize = kh * kw * channels;
  for (let p = p0; p < p1; p++) {
    const oy = Math.floor(p / outW);
    const ox = p - oy * outW;
    let dst = (p - p0) * patchSize;
    for (let ky = 0; ky < kh; ky++) {
      const iy = oy * sh - padTop + ky;
      for (let kx = 0; kx < kw; kx++) {
        const ix = ox * sw - padLeft + kx;
        if (iy < 0 || iy >= height || ix < 0 || ix >= width) {
          patches.fill(0, dst, dst + channels);
        } else {
          const src = image + (iy * width + ix) * channels;
          for (let c = 0; c < channels; c++) patches[dst + c] = x[src + c]!;
        }
        dst += channels;
      }
    }
  }
}

export const conv2dCpuKernels: KernelSpec[] = [{ opType: 'Conv2D', device: 'cpu', kernel: conv2dKernel }];

/** The inverse of fillPatches (col2im): adds patch rows for pixels [p0, p1) back into an image gradient. */
export function scatterPatches(
  patches: Float32Array, dx: Float32Array, image: number, height: number, width: number, channels: number,
  kh: number, kw: number, sh: number, sw: number, padTop: number, padLeft: number, outW: number,
  p0: number, p1: number,
): void {
  const patchSize = kh * kw * channels;
  for (let p = p0; p < p1; p++) {
    const oy = Math.floor(p / outW);
    const ox = p - oy * outW;
    let src = (p - p0) * patchSize;
    for (let ky = 0; ky < kh; ky++) {
      const iy = oy * sh - padTop + ky;
      for (let kx = 0; kx < kw; kx++) {
        const ix = ox * sw - padLeft + kx;
        if (iy >= 0 && iy < height && ix >= 0 && ix < width) {
          const dst = image + (iy * width + ix) * channels;
          for (let c = 0; c < channels; c++) dx[dst + c] = dx[dst + c]! + patches[src + c]!;
        }
        src += channels;
      }
    }
  }
}
