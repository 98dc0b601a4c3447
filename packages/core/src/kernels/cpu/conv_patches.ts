/**
 * im2col and col2im over NHWC images, by rows of the patch matrix: row r is output pixel
 * r % (outH*outW) of image floor(r / (outH*outW)), and holds that pixel's receptive field
 * (kh*kw*inC values in HWIO filter order; taps in the padding are zeros). Blocks of rows may span
 * images, so a convolution runs as a few large GEMMs however small its images are.
 */

/** Where a convolution's windows fall (NHWC input, HWIO filter). */
export interface ConvGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  padTop: number;
  padLeft: number;
}

/** Rows of the patch matrix per block: bounds the scratch (rows × kh·kw·inC floats). */
export const ROWS_PER_BLOCK = 1024;

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
