import type { KernelContext } from '../../kernel_registry.js';
import type { ConvGeometry } from '../../ndarray/window_geometry.js';
import { heapAddress, wasmKernels } from '../../cpu_backend/wasm_kernels.js';
import { PARALLEL_MIN_WORK, shareOf, threadPool, threadScratch } from '../../cpu_backend/parallel.js';
import { winogradGeometryArgs, winogradTiles } from './conv_winograd.js';

/*
 * Conv2DBackpropFilter of a 3x3 stride-1 convolution as Winograd F(2x2, 3x3) (wasm/winograd.wat):
 * the forward output of a tile is A^T [(G g G^T) . (B^T d B)] A, so the filter's gradient is
 * G^T [sum over tiles of (A dY A^T) . (B^T d B)] G. The sum over tiles is 16 GEMMs
 * dU[xi] = V[xi]^T . Y[xi] ([inC x tiles] . [tiles x outC]), 2.25x fewer multiplies than the
 * im2col GEMM. Threads split the transforms by tiles and the GEMMs by input channels; every
 * gradient entry is summed by one thread in tile order, whatever the thread count.
 */

/**
 * df (HWIO [3, 3, inC, outC]) = the filter gradient of the convolution `g` for input x and output
 * gradient dy. Returns false (nothing written) when an operand is not in the heap; the caller then
 * takes its im2col path. Call only where winogradApplies(ctx, g).
 */
export function winogradFilterGrad(
  ctx: KernelContext,
  x: Float32Array,
  dy: Float32Array,
  df: Float32Array,
  g: ConvGeometry,
): boolean {
  const wasm = wasmKernels()!;
  const memory = ctx.memory!;
  const { tiles } = winogradTiles(g);
  const geometryArgs = winogradGeometryArgs(g);
  const threads = Math.max(1, Math.min(ctx.threads ?? 1, Math.floor(g.inC / 4)));
  const v = memory.array('float32', 16 * tiles * g.inC) as Float32Array;
  const y = memory.array('float32', 16 * tiles * g.outC) as Float32Array;
  const du = memory.array('float32', 16 * g.inC * g.outC) as Float32Array;
  const windows = memory.array('float32', 16 * g.inC * threads) as Float32Array;
  const at = [x, dy, v, y, du, windows].map((array) => heapAddress(wasm, array));
  if (at.some((address) => address < 0)) return false;
  const [xAt, dyAt, vAt, yAt, duAt, windowAt] = at as [number, number, number, number, number, number];
  const transforms = (t0: number, t1: number, thread: number): number[] => [
    xAt,
    dyAt,
    vAt,
    yAt,
    t0,
    t1,
    tiles,
    ...geometryArgs,
    windowAt + thread * 16 * g.inC * 4,
  ];
  const products = (m0: number, m1: number, scratch: number): number[] => [
    vAt,
    yAt,
    duAt,
    m0,
    m1,
    tiles,
    g.inC,
    g.outC,
    scratch,
  ];
  if (threads <= 1 || tiles * 16 * g.inC * g.outC < PARALLEL_MIN_WORK) {
    wasm.exports.winogradGradTransforms(...transforms(0, tiles, 0));
    wasm.exports.winogradGradProducts(...products(0, g.inC, wasm.scratch));
  } else {
    const pool = threadPool(wasm, threads);
    pool.run('winogradGradTransforms', threads, (t) => {
      const [t0, t1] = shareOf(tiles, threads, t);
      return transforms(t0, t1, t);
    });
    pool.run('winogradGradProducts', threads, (t) => {
      const [m0, m1] = shareOf(g.inC, threads, t, 4);
      return products(m0, m1, threadScratch(wasm, pool, t));
    });
  }
  filterFromTransformed(du, g.inC, g.outC, df);
  return true;
}

/** filterFromTransformed's scratch (dU G), made once: a step allocates nothing. */
const gradHalfway = new Float64Array(12);

/** df[ky, kx, c, o] = (G^T dU G)[ky, kx] of every channel pair (dU: 16 matrices [inC x outC]). */
function filterFromTransformed(du: Float32Array, inC: number, outC: number, df: Float32Array): void {
  const plane = inC * outC;
  const t = gradHalfway;
  for (let at = 0; at < plane; at++) {
    // t = dU G (4 x 3), then df = G^T t: G's rows are [1,0,0], [.5,.5,.5], [.5,-.5,.5], [0,0,1].
    for (let i = 0; i < 4; i++) {
      const u0 = du[i * 4 * plane + at]!;
      const u1 = du[(i * 4 + 1) * plane + at]!;
      const u2 = du[(i * 4 + 2) * plane + at]!;
      const u3 = du[(i * 4 + 3) * plane + at]!;
      t[i * 3] = u0 + 0.5 * (u1 + u2);
      t[i * 3 + 1] = 0.5 * (u1 - u2);
      t[i * 3 + 2] = 0.5 * (u1 + u2) + u3;
    }
    for (let kx = 0; kx < 3; kx++) {
      const t0 = t[kx]!;
      const t1 = t[3 + kx]!;
      const t2 = t[6 + kx]!;
      const t3 = t[9 + kx]!;
      df[kx * plane + at] = t0 + 0.5 * (t1 + t2);
      df[(3 + kx) * plane + at] = 0.5 * (t1 - t2);
      df[(6 + kx) * plane + at] = 0.5 * (t1 + t2) + t3;
    }
  }
}
