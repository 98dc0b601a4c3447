import type { KernelContext } from '../../kernel_registry.js';
import type { ConvGeometry } from '../../ndarray/window_geometry.js';
import { heapAddress, wasmGemmKernels } from '../../cpu_backend/wasm_kernels.js';
import { threadPool, threadScratch } from '../../cpu_backend/parallel.js';
import { im2colBlock } from './conv_patches.js';

/*
 * Conv2DBackpropFilter when the patch is short (a first layer's kh·kw·1): dfilter = patchesᵀ · dy
 * has only kh·kw·inC rows, too few to split over threads by rows, and a long sum over every
 * output pixel. The pixels are cut into chunks of CHUNK_ROWS (a function of the size alone), each
 * chunk's product goes to its own partial, threads take chunks in turn, and the partials are added
 * in chunk order: the same bits for any thread count, and the second core gets half the work.
 */

/** Patch rows (output pixels) per chunk. */
export const CHUNK_ROWS = 4096;
/** Longest patch handled here: longer ones split by rows in the GEMM itself. */
export const CHUNKED_MAX_PATCH = 15;
/** Most floats of patch matrix made at once (64 MiB): larger inputs take the block loop. */
const MAX_PATCH_FLOATS = 1 << 24;

/** Whether the filter gradient of `g` runs in chunks here. */
export function chunkedFilterGradApplies(ctx: KernelContext, g: ConvGeometry): boolean {
  const patchSize = g.kh * g.kw * g.inC;
  const rows = g.batch * g.outH * g.outW;
  return (
    patchSize <= CHUNKED_MAX_PATCH &&
    rows > CHUNK_ROWS &&
    rows * patchSize <= MAX_PATCH_FLOATS &&
    ctx.memory !== undefined &&
    wasmGemmKernels() !== null
  );
}

/**
 * df (HWIO) = the filter gradient of `g` for input x and output gradient dy (both in the heap).
 * Returns false (nothing written) when an array is not in the heap; the caller then takes its
 * block loop. Call only where chunkedFilterGradApplies(ctx, g).
 */
export function chunkedFilterGrad(
  ctx: KernelContext,
  x: Float32Array,
  dy: Float32Array,
  df: Float32Array,
  g: ConvGeometry,
): boolean {
  const wasm = wasmGemmKernels()!;
  const memory = ctx.memory!;
  const patchSize = g.kh * g.kw * g.inC;
  const rows = g.batch * g.outH * g.outW;
  const chunks = Math.ceil(rows / CHUNK_ROWS);
  const plane = patchSize * g.outC;
  const patches = memory.array('float32', rows * patchSize) as Float32Array;
  const partials = memory.array('float32', chunks * plane) as Float32Array;
  const [patchesAt, dyAt, partialsAt] = [patches, dy, partials].map((a) => heapAddress(wasm, a)) as [
    number,
    number,
    number,
  ];
  if (patchesAt < 0 || dyAt < 0 || partialsAt < 0 || heapAddress(wasm, x) < 0) return false;
  im2colBlock(ctx, x, g, 0, rows, patches);
  // Chunk c: partial[c] = patches[rows of c]ᵀ · dy[rows of c]  (op(A)(i, p) = patches[p, i]).
  const chunkArgs = (c: number, scratch: number): number[] => {
    const r0 = c * CHUNK_ROWS;
    const r1 = Math.min(rows, r0 + CHUNK_ROWS);
    return [
      patchesAt + r0 * patchSize * 4,
      4,
      patchSize * 4,
      dyAt + r0 * g.outC * 4,
      g.outC * 4,
      4,
      partialsAt + c * plane * 4,
      0,
      patchSize,
      r1 - r0,
      g.outC,
      0,
      0,
      scratch,
    ];
  };
  const threads = Math.max(1, Math.min(ctx.threads ?? 1, chunks));
  for (let first = 0; first < chunks; first += threads) {
    const count = Math.min(threads, chunks - first);
    if (count === 1) {
      wasm.exports.gemm(...(chunkArgs(first, wasm.scratch) as Parameters<typeof wasm.exports.gemm>));
    } else {
      const pool = threadPool(wasm, threads);
      pool.run('gemm', count, (t) => chunkArgs(first + t, threadScratch(wasm, pool, t)));
    }
  }
  df.set(partials.subarray(0, plane));
  for (let c = 1; c < chunks; c++) {
    const partial = partials.subarray(c * plane, (c + 1) * plane);
    for (let e = 0; e < plane; e++) df[e] = df[e]! + partial[e]!;
  }
  return true;
}
