import type { KernelContext } from '../kernel_registry.js';
import { HeapOperands } from './heap_operands.js';
import { GEMM_ACCUMULATE, GEMM_RELU, wasmGemmKernels } from './wasm_kernels.js';
import { PARALLEL_MIN_WORK, shareOf, threadPool, threadScratch } from './parallel.js';

/** The epilogue options of gemmFloat32 (cpu_backend/gemm.ts). */
interface Epilogue {
  bias?: Float32Array;
  relu?: boolean;
  accumulate?: boolean;
}

/**
 * The wasm GEMM on heap addresses (operands outside the heap are copied in first). Returns false
 * when it cannot run here (wasm off or unsupported, or no heap room): the caller then uses the
 * JS GEMM. Requires m, k, n >= 1.
 * @internal
 */
export function heapGemm(
  a: Float32Array,
  aOff: number,
  b: Float32Array,
  bOff: number,
  out: Float32Array,
  outOff: number,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  ctx: KernelContext | undefined,
  epilogue: Epilogue,
): boolean {
  const wasm = wasmGemmKernels();
  if (wasm === null) return false;
  const operands = new HeapOperands(wasm.heap, ctx?.memory);
  try {
    const aAddress = operands.input(a, aOff, m * k);
    const bAddress = operands.input(b, bOff, k * n);
    const biasAddress = epilogue.bias ? operands.input(epilogue.bias, 0, n) : 0;
    const outAddress = operands.output(out, outOff, m * n, epilogue.accumulate === true);
    if (aAddress === null || bAddress === null || biasAddress === null || outAddress === null) return false;
    // op(A)(i, p) at a + (i*aI + p*aP)*4;  op(B)(p, j) at b + (p*bP + j*bJ)*4
    const aI = transA ? 4 : k * 4;
    const aP = transA ? m * 4 : 4;
    const bP = transB ? 4 : n * 4;
    const bJ = transB ? k * 4 : 4;
    const flags = (epilogue.relu ? GEMM_RELU : 0) | (epilogue.accumulate ? GEMM_ACCUMULATE : 0);
    // Threads take row panels (multiples of the 4-row tile): each output is summed by one thread,
    // in the same order whatever the split.
    const threads = Math.min(ctx?.threads ?? 1, Math.floor(m / 8));
    if (threads > 1 && m * k * n >= PARALLEL_MIN_WORK) {
      const pool = threadPool(wasm, threads);
      pool.run('gemm', threads, (t) => {
        const [m0, m1] = shareOf(m, threads, t, 4);
        return [
          aAddress,
          aI,
          aP,
          bAddress,
          bP,
          bJ,
          outAddress,
          m0,
          m1,
          k,
          n,
          biasAddress,
          flags,
          threadScratch(wasm, pool, t),
        ];
      });
    } else {
      wasm.exports.gemm(aAddress, aI, aP, bAddress, bP, bJ, outAddress, 0, m, k, n, biasAddress, flags, wasm.scratch);
    }
    return true;
  } finally {
    operands.finish();
  }
}
