import type { KernelContext } from '../../kernel_registry.js';
import type { ConvGeometry } from '../../ndarray/window_geometry.js';
import { heapAddress, wasmKernels } from '../../cpu_backend/wasm_kernels.js';
import { runShares } from '../../cpu_backend/wasm_dispatch.js';

/**
 * im2col and col2im over NHWC images, by rows of the patch matrix: row r is output pixel
 * r % (outH*outW) of image floor(r / (outH*outW)), and holds that pixel's receptive field
 * (kh*kw*inC values in HWIO filter order; taps in the padding are zeros). Blocks of rows may span
 * images, so a convolution runs as a few large GEMMs however small its images are.
 */

export type { ConvGeometry } from '../../ndarray/window_geometry.js';

/** Rows of the patch matrix per block at least: a GEMM over fewer rows pays its fixed costs too often. */
export const ROWS_PER_BLOCK = 1024;

/**
 * Floats of patch scratch a block may use beyond ROWS_PER_BLOCK rows (1 MiB): small patches
 * (a first layer's kh·kw·1) get long blocks, so a convolution is a few GEMMs, not one per image.
 */
export const PATCH_BLOCK_FLOATS = 1 << 18;

/** Rows per block: whole images where they fit (so col2im can give threads whole images). */
export function blockRows(g: ConvGeometry): number {
  const pixels = g.outH * g.outW;
  const rows = g.batch * pixels;
  const patchSize = Math.max(1, g.kh * g.kw * g.inC);
  const target = Math.max(ROWS_PER_BLOCK, Math.floor(PATCH_BLOCK_FLOATS / patchSize));
  if (pixels === 0 || pixels > target) return Math.min(rows, target);
  return Math.min(rows, Math.floor(target / pixels) * pixels);
}

/** The geometry as the wasm im2col/col2im take it. */
function geometryArgs(g: ConvGeometry): number[] {
  return [g.inH, g.inW, g.inC, g.outH, g.outW, g.kh, g.kw, g.sh, g.sw, g.padTop, g.padLeft];
}

/** im2colRows on the wasm kernel (rows split over threads when large) when x and patches are in the heap, else in JS. */
export function im2colBlock(
  ctx: KernelContext,
  x: Float32Array,
  g: ConvGeometry,
  r0: number,
  r1: number,
  patches: Float32Array,
): void {
  const wasm = wasmKernels();
  const xAt = wasm === null ? -1 : heapAddress(wasm, x);
  const patchesAt = wasm === null ? -1 : heapAddress(wasm, patches);
  if (wasm === null || xAt < 0 || patchesAt < 0) {
    im2colRows(x, g, r0, r1, patches);
    return;
  }
  const rowBytes = g.kh * g.kw * g.inC * 4;
  const args = geometryArgs(g);
  runShares(ctx, wasm, 'im2col', r1 - r0, ((r1 - r0) * rowBytes) / 4, (from, to) => [
    xAt,
    patchesAt + from * rowBytes,
    r0 + from,
    r0 + to,
    ...args,
  ]);
}

/**
 * col2imRows on the wasm kernel when both arrays are in the heap, else in JS. Threads take whole
 * images (an image's patch rows add onto shared pixels; different images never do).
 */
export function col2imBlock(
  ctx: KernelContext,
  patches: Float32Array,
  dx: Float32Array,
  g: ConvGeometry,
  r0: number,
  r1: number,
): void {
  const wasm = wasmKernels();
  const patchesAt = wasm === null ? -1 : heapAddress(wasm, patches);
  const dxAt = wasm === null ? -1 : heapAddress(wasm, dx);
  if (wasm === null || patchesAt < 0 || dxAt < 0) {
    col2imRows(patches, dx, g, r0, r1);
    return;
  }
  const pixels = g.outH * g.outW;
  const rowBytes = g.kh * g.kw * g.inC * 4;
  const firstImage = Math.floor(r0 / pixels);
  const images = Math.floor((r1 - 1) / pixels) - firstImage + 1;
  const args = geometryArgs(g);
  runShares(ctx, wasm, 'col2im', images, ((r1 - r0) * rowBytes) / 4, (i0, i1) => {
    const from = Math.max(r0, (firstImage + i0) * pixels);
    const to = Math.min(r1, (firstImage + i1) * pixels);
    return [patchesAt + (from - r0) * rowBytes, dxAt, from, Math.max(from, to), ...args];
  });
}

/** Patch rows [r0, r1) of `x` into `patches` (row r0 first). */
export function im2colRows(x: Float32Array, g: ConvGeometry, r0: number, r1: number, patches: Float32Array): void {
  const pixels = g.outH * g.outW;
  const patchSize = g.kh * g.kw * g.inC;
  const channels = g.inC;
  for (let r = r0; r < r1; r++) {
    const image = Math.floor(r / pixels);
    const p = r - image * pixels;
    const base = image * g.inH * g.inW * channels;
    const oy = Math.floor(p / g.outW);
    const ox = p - oy * g.outW;
    let dst = (r - r0) * patchSize;
    for (let ky = 0; ky < g.kh; ky++) {
      const iy = oy * g.sh - g.padTop + ky;
      for (let kx = 0; kx < g.kw; kx++) {
        const ix = ox * g.sw - g.padLeft + kx;
        if (iy < 0 || iy >= g.inH || ix < 0 || ix >= g.inW) {
          patches.fill(0, dst, dst + channels);
        } else {
          const src = base + (iy * g.inW + ix) * channels;
          for (let c = 0; c < channels; c++) patches[dst + c] = x[src + c]!;
        }
        dst += channels;
      }
    }
  }
}

/** The inverse of im2colRows (col2im): adds patch rows [r0, r1) back onto the input pixels they came from. */
export function col2imRows(patches: Float32Array, dx: Float32Array, g: ConvGeometry, r0: number, r1: number): void {
  const pixels = g.outH * g.outW;
  const patchSize = g.kh * g.kw * g.inC;
  const channels = g.inC;
  for (let r = r0; r < r1; r++) {
    const image = Math.floor(r / pixels);
    const p = r - image * pixels;
    const base = image * g.inH * g.inW * channels;
    const oy = Math.floor(p / g.outW);
    const ox = p - oy * g.outW;
    let src = (r - r0) * patchSize;
    for (let ky = 0; ky < g.kh; ky++) {
      const iy = oy * g.sh - g.padTop + ky;
      for (let kx = 0; kx < g.kw; kx++) {
        const ix = ox * g.sw - g.padLeft + kx;
        if (iy >= 0 && iy < g.inH && ix >= 0 && ix < g.inW) {
          const dst = base + (iy * g.inW + ix) * channels;
          for (let c = 0; c < channels; c++) dx[dst + c] = dx[dst + c]! + patches[src + c]!;
        }
        src += channels;
      }
    }
  }
}
