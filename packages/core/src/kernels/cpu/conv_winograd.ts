import type { KernelContext } from '../../kernel_registry.js';
import type { ConvGeometry } from '../../ndarray/window_geometry.js';
import { heapAddress, wasmKernels } from '../../cpu_backend/wasm_kernels.js';
import { PARALLEL_MIN_WORK, shareOf, threadPool, threadScratch } from '../../cpu_backend/parallel.js';
import { heapResident } from '../../cpu_backend/heap_operands.js';

/*
 * 3x3 stride-1 convolutions as Winograd F(2x2, 3x3) on the wasm kernel (wasm/winograd.wat): 16
 * multiplies per 2x2 outputs and channel pair instead of 36, so the GEMM work is 2.25x smaller
 * (the transforms are a few additions per value). Used by Conv2D / _FusedConv2D and by
 * Conv2DBackpropInput, whose dx is the same kind of convolution of dy with the filter flipped and
 * its channels swapped. The result differs from im2col + GEMM only by float rounding (the
 * transforms' coefficients are 0, ±1 and ±1/2). Threads take ranges of whole tiles, so no output
 * depends on the thread count.
 */

/** Tiles per block: a block's V and M (16 x tiles x (inC + outC) floats) stay in the core's L2. */
export const WINOGRAD_TILE_BLOCK = 64;
/** Fewest channels on each side: below this the 16 GEMMs are too thin to beat one im2col GEMM. */
export const WINOGRAD_MIN_CHANNELS = 16;

/** Whether the convolution `g` (of the forward kind: x -> out) runs as Winograd here. */
export function winogradApplies(ctx: KernelContext, g: ConvGeometry): boolean {
  return (
    g.kh === 3 &&
    g.kw === 3 &&
    g.sh === 1 &&
    g.sw === 1 &&
    g.inC % 4 === 0 &&
    g.outC % 4 === 0 &&
    g.inC >= WINOGRAD_MIN_CHANNELS &&
    g.outC >= WINOGRAD_MIN_CHANNELS &&
    g.batch * g.outH * g.outW > 0 &&
    ctx.memory !== undefined &&
    wasmKernels() !== null
  );
}

/**
 * The forward-kind geometry of Conv2DBackpropInput: for a stride-1 convolution, dx is the
 * convolution of dy (padded by k-1-pad) with the flipped filter. The strides are kept, so a
 * strided convolution's (which is no such convolution) is refused by winogradApplies.
 */
export function backpropInputGeometry(g: ConvGeometry): ConvGeometry {
  return {
    batch: g.batch,
    inH: g.outH,
    inW: g.outW,
    inC: g.outC,
    outH: g.inH,
    outW: g.inW,
    outC: g.inC,
    kh: g.kh,
    kw: g.kw,
    sh: g.sh,
    sw: g.sw,
    padTop: g.kh - 1 - g.padTop,
    padLeft: g.kw - 1 - g.padLeft,
  };
}

/** Tiles of 2x2 output pixels: per image row and column, and in all. */
export function winogradTiles(g: ConvGeometry): { tilesH: number; tilesW: number; tiles: number } {
  const tilesH = Math.ceil(g.outH / 2);
  const tilesW = Math.ceil(g.outW / 2);
  return { tilesH, tilesW, tiles: g.batch * tilesH * tilesW };
}

/** The geometry as the wasm Winograd kernels take it (after their tile range). */
export function winogradGeometryArgs(g: ConvGeometry): number[] {
  const { tilesH, tilesW } = winogradTiles(g);
  return [g.inH, g.inW, g.inC, g.outH, g.outW, g.outC, g.padTop, g.padLeft, tilesH, tilesW];
}

/** winogradFilter's scratch (one filter's 3x3 taps, then G g), made once: a step allocates nothing. */
const filterTaps = new Float64Array(9);
const filterHalfway = new Float64Array(12);

/**
 * U = G g G^T of every (in, out) channel pair of a 3x3 HWIO filter, as 16 matrices [inC x outC]
 * (u[(xi * inC + c) * outC + o], xi = 4 * row + column). `flipped`: of the filter that
 * Conv2DBackpropInput convolves dy with (rotated 180 degrees, in and out channels swapped), read
 * from the forward filter [3, 3, outC, inC].
 */
export function winogradFilter(
  filter: Float32Array,
  inC: number,
  outC: number,
  flipped: boolean,
  u: Float32Array,
): void {
  const g = filterTaps;
  const t = filterHalfway;
  const plane = inC * outC;
  for (let c = 0; c < inC; c++) {
    for (let o = 0; o < outC; o++) {
      for (let ky = 0; ky < 3; ky++)
        for (let kx = 0; kx < 3; kx++)
          g[ky * 3 + kx] = flipped
            ? filter[((2 - ky) * 3 + (2 - kx)) * plane + o * inC + c]!
            : filter[(ky * 3 + kx) * plane + c * outC + o]!;
      // t = G g (4 x 3): rows g0, (g0+g1+g2)/2, (g0-g1+g2)/2, g2
      for (let kx = 0; kx < 3; kx++) {
        const g0 = g[kx]!;
        const g1 = g[3 + kx]!;
        const g2 = g[6 + kx]!;
        t[kx] = g0;
        t[3 + kx] = 0.5 * (g0 + g1 + g2);
        t[6 + kx] = 0.5 * (g0 - g1 + g2);
        t[9 + kx] = g2;
      }
      // U = t G^T (4 x 4), the same combination along each row
      const at = c * outC + o;
      for (let r = 0; r < 4; r++) {
        const t0 = t[r * 3]!;
        const t1 = t[r * 3 + 1]!;
        const t2 = t[r * 3 + 2]!;
        u[r * 4 * plane + at] = t0;
        u[(r * 4 + 1) * plane + at] = 0.5 * (t0 + t1 + t2);
        u[(r * 4 + 2) * plane + at] = 0.5 * (t0 - t1 + t2);
        u[(r * 4 + 3) * plane + at] = t2;
      }
    }
  }
}

/**
 * out = the convolution `g` of x with the 3x3 filter (flipped: see winogradFilter), plus bias and
 * relu, on the wasm Winograd kernel. Returns false (nothing written) when an operand is not in
 * the heap; the caller then takes its im2col path. Call only where winogradApplies(ctx, g).
 */
export function winogradConv(
  ctx: KernelContext,
  x: Float32Array,
  filter: Float32Array,
  flipped: boolean,
  out: Float32Array,
  g: ConvGeometry,
  bias: Float32Array | undefined,
  relu: boolean,
): boolean {
  const wasm = wasmKernels()!;
  const memory = ctx.memory!;
  const u = memory.array('float32', 16 * g.inC * g.outC) as Float32Array;
  const biasAt = bias === undefined ? 0 : heapAddress(wasm, heapResident(ctx, bias));
  const { tiles } = winogradTiles(g);
  const geometryArgs = winogradGeometryArgs(g);
  const threads = Math.max(1, Math.min(ctx.threads ?? 1, Math.ceil(tiles / WINOGRAD_TILE_BLOCK)));
  const workFloats = 16 * WINOGRAD_TILE_BLOCK * (g.inC + g.outC) + 16 * g.inC;
  const work = memory.array('float32', workFloats * threads) as Float32Array;
  const xAt = heapAddress(wasm, x);
  const uAt = heapAddress(wasm, u);
  const outAt = heapAddress(wasm, out);
  const workAt = heapAddress(wasm, work);
  if (xAt < 0 || uAt < 0 || outAt < 0 || workAt < 0 || biasAt < 0) return false;
  winogradFilter(filter, g.inC, g.outC, flipped, u);
  const argsFor = (t0: number, t1: number, thread: number, scratch: number): number[] => [
    xAt,
    uAt,
    outAt,
    biasAt,
    relu ? 1 : 0,
    t0,
    t1,
    WINOGRAD_TILE_BLOCK,
    ...geometryArgs,
    workAt + thread * workFloats * 4,
    scratch,
  ];
  if (threads <= 1 || tiles * 16 * g.inC * g.outC < PARALLEL_MIN_WORK) {
    wasm.exports.winogradConv(...argsFor(0, tiles, 0, wasm.scratch));
    return true;
  }
  const pool = threadPool(wasm, threads);
  pool.run('winogradConv', threads, (t) => {
    const [t0, t1] = shareOf(tiles, threads, t, WINOGRAD_TILE_BLOCK);
    return argsFor(t0, t1, t, threadScratch(wasm, pool, t));
  });
  return true;
}
