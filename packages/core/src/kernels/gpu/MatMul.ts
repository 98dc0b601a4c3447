import { defineGpuKernel, invalidInput, kernelArg, kernelKey, runGpuKernel } from '../../gpu_backend/gpu_kernel.js';
import { activeGpuRuntime } from '../../gpu_backend/gpu_runtime.js';
import { kernelFunction } from '../../gpu_backend/index_codegen.js';
import type { GpuKernelSource } from '../../gpu_backend/kernel_cache.js';
import type { Operation } from '../../graph/operation.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { shapeSize } from '../../ndarray/shape.js';
import type { OpKernelContext, OpKernelSpec } from '../../kernel_registry.js';
import { attrsOf } from '../../graph/op_types.js';

/** The largest side of a 2-D gpu.js output grid we use; bigger products use a 1-D grid. */
const MAX_GRID_SIDE = 4096;

/**
 * On the host-emulated backends (webasm / cpu) a thread sweeps a whole column of B, so once B
 * outgrows the CPU caches every output row streams all of it from memory. Splitting k into
 * blocks of K_BLOCK (one kernel call each, adding onto the previous partial sums) keeps a
 * K_BLOCK x n slab of B cached: measured 0.6 -> 1.4 GFLOPS for 1024^2 in webasm mode here.
 * GPUs have no such cache problem, and there every extra call costs a pass, so they use one call.
 */
const K_BLOCK = 128;
const MIN_BLOCKED_K = 2 * K_BLOCK;

/** One call's share of k: `length` steps from the `k0` argument, adding onto `prev` unless first. */
interface KSlice {
  length: number;
  first: boolean;
}

interface MatMulGeometry {
  batch: number;
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
}

/**
 * One thread per output element: a k-long dot product of a row of op(A) and a column of op(B).
 * Reference: kernels/cpu/MatMul.ts (same shapes, batching and transpose flags).
 */
function matMulSource(g: MatMulGeometry, allow2dGrid: boolean, slice?: KSlice): GpuKernelSource {
  const { batch, m, k, n, transA, transB } = g;
  // A[i,p] sits at i*aRow + p*aCol within its batch slice; B[p,j] at p*bRow + j*bCol.
  const aRow = transA ? 1 : k;
  const aCol = transA ? m : 1;
  const bRow = transB ? 1 : n;
  const bCol = transB ? k : 1;
  const grid2d = allow2dGrid && n <= MAX_GRID_SIDE && batch * m <= MAX_GRID_SIDE;
  const lines: string[] = [];
  if (grid2d) {
    lines.push('const j = this.thread.x;', 'const r = this.thread.y;');
  } else {
    lines.push(`const r = Math.floor(this.thread.x / ${n});`, `const j = this.thread.x - r * ${n};`);
  }
  if (batch > 1) {
    lines.push(`const t = Math.floor(r / ${m});`, `const i = r - t * ${m};`);
    lines.push(`const aBase = t * ${m * k} + i * ${aRow};`, `const bBase = t * ${k * n} + j * ${bCol};`);
  } else {
    lines.push(`const aBase = r * ${aRow};`, `const bBase = j * ${bCol};`);
  }
  if (!slice) {
    lines.push('let sum = 0.0;');
    lines.push(`for (let p = 0; p < ${k}; p++) {`, `  sum += a[aBase + p * ${aCol}] * b[bBase + p * ${bRow}];`, '}');
  } else {
    lines.push(slice.first ? 'let sum = 0.0;' : `let sum = prev[${grid2d ? `r * ${n} + j` : 'this.thread.x'}];`);
    lines.push(
      `for (let q = 0; q < ${slice.length}; q++) {`,
      '  const p = k0 + q;',
      `  sum += a[aBase + p * ${aCol}] * b[bBase + p * ${bRow}];`,
      '}',
    );
  }
  lines.push('return sum;');
  const params = !slice ? 'a, b' : slice.first ? 'a, b, k0' : 'a, b, k0, prev';
  const source = `function (${params}) {\n${lines.join('\n')}\n}`;
  return { source, output: grid2d ? [n, batch * m] : [batch * m * n] };
}

function geometry(a: NDArray, b: NDArray, ctx: OpKernelContext<'MatMul'>): MatMulGeometry {
  const transA = ctx.attrs.transposeA === true;
  const transB = ctx.attrs.transposeB === true;
  const rank = a.rank;
  let batch = 1;
  for (let i = 0; i < rank - 2; i++) batch *= a.shape[i]!;
  const m = a.shape[rank - (transA ? 1 : 2)]!;
  const k = a.shape[rank - (transA ? 2 : 1)]!;
  const n = b.shape[rank - (transB ? 2 : 1)]!;
  return { batch, m, k, n, transA, transB };
}

/** Shapes that cannot be multiplied go to the cpu kernel, whose error says why. */
function unsupported([a, b]: readonly NDArray[], op: Operation): string | undefined {
  const rank = a!.rank;
  const { transposeA, transposeB } = attrsOf<'MatMul'>(op);
  const k = a!.shape[rank - (transposeA === true ? 2 : 1)];
  const kB = b!.shape[rank - (transposeB === true ? 1 : 2)];
  const mismatched =
    rank < 2 || b!.rank !== rank || k !== kB || a!.shape.slice(0, rank - 2).some((d, i) => d !== b!.shape[i]);
  return mismatched ? invalidInput('shapes that cannot be multiplied are reported by the cpu kernel') : undefined;
}

function matMulKernel(inputs: readonly NDArray[], ctx: OpKernelContext<'MatMul'>): NDArray {
  const a = inputs[0]!;
  const b = inputs[1]!;
  const g = geometry(a, b, ctx);
  const shape = [...a.shape.slice(0, a.rank - 2), g.m, g.n];
  if (g.k === 0) return runGpuKernel(kernelKey('MatMul', inputs, 'k0'), () => zeroSource(shape), [], 'float32', shape);
  // webasm vectorises along x of a 2-D grid; GL textures passed on to flat-indexed kernels must be 1-D.
  const hostEmulated = !activeGpuRuntime().usesTextures;
  const flags = `${g.transA}${g.transB}`;
  const args = [kernelArg(a), kernelArg(b)];
  if (!hostEmulated || g.k < MIN_BLOCKED_K) {
    return runGpuKernel(kernelKey('MatMul', inputs, flags), () => matMulSource(g, hostEmulated), args, a.dtype, shape);
  }
  let partial: NDArray | undefined;
  for (let k0 = 0; k0 < g.k; k0 += K_BLOCK) {
    const slice: KSlice = { length: Math.min(K_BLOCK, g.k - k0), first: partial === undefined };
    const key = kernelKey('MatMul', inputs, `${flags}|${slice.length}|${slice.first}`);
    const sliceArgs = partial ? [...args, k0, kernelArg(partial)] : [...args, k0];
    partial = runGpuKernel(key, () => matMulSource(g, hostEmulated, slice), sliceArgs, a.dtype, shape);
  }
  return partial!;
}

/** An empty inner dimension gives zeros (gpu.js kernels need at least one argument-free body). */
function zeroSource(shape: readonly number[]): GpuKernelSource {
  return kernelFunction('', ['return 0.0;'], shapeSize(shape));
}

export const matMulGpuKernels: OpKernelSpec[] = [
  defineGpuKernel({ opType: 'MatMul', integerPolicy: 'cpu', unsupported, run: matMulKernel }),
];
