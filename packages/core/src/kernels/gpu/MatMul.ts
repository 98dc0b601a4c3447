import { InvalidArgumentError } from '../../errors.js';
import { defineGpuKernel, kernelArg, kernelKey, runGpuKernel } from '../../gpu_backend/gpu_kernel.js';
import { activeGpuRuntime } from '../../gpu_backend/gpu_runtime.js';
import type { GpuKernelSource } from '../../gpu_backend/kernel_cache.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { formatShape } from '../../ndarray/shape.js';
import type { KernelContext, KernelSpec } from '../kernel_registry.js';

/** The largest side of a 2-D gpu.js output grid we use; bigger products use a 1-D grid. */
const MAX_GRID_SIDE = 4096;

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
function matMulSource(g: MatMulGeometry, allow2dGrid: boolean): GpuKernelSource {
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
  lines.push('let sum = 0.0;');
  lines.push(`for (let p = 0; p < ${k}; p++) {`, `  sum += a[aBase + p * ${aCol}] * b[bBase + p * ${bRow}];`, '}');
  lines.push('return sum;');
  const source = `function (a, b) {\n${lines.join('\n')}\n}`;
  return { source, output: grid2d ? [n, batch * m] : [batch * m * n] };
}

function geometry(a: NDArray, b: NDArray, ctx: KernelContext): MatMulGeometry {
  const transA = ctx.attrs['transposeA'] === true;
  const transB = ctx.attrs['transposeB'] === true;
  const rank = a.rank;
  let batch = 1;
  for (let i = 0; i < rank - 2; i++) batch *= a.shape[i]!;
  const m = a.shape[rank - (transA ? 1 : 2)]!;
  const k = a.shape[rank - (transA ? 2 : 1)]!;
  const kB = b.shape[rank - (transB ? 1 : 2)]!;
  const n = b.shape[rank - (transB ? 2 : 1)]!;
  if (rank < 2 || b.rank !== rank || k !== kB || a.shape.slice(0, rank - 2).some((d, i) => d !== b.shape[i])) {
    throw new InvalidArgumentError(
      `MatMul '${ctx.op.name}': cannot multiply ${formatShape(a.shape)} by ${formatShape(b.shape)} (transposeA=${transA}, transposeB=${transB})`,
    );
  }
  return { batch, m, k, n, transA, transB };
}

function matMulKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const a = inputs[0]!;
  const b = inputs[1]!;
  const g = geometry(a, b, ctx);
  const shape = [...a.shape.slice(0, a.rank - 2), g.m, g.n];
  if (g.k === 0) return runGpuKernel(kernelKey('MatMul', inputs, 'k0'), () => zeroSource(shape), [], 'float32', shape);
  return runGpuKernel(
    kernelKey('MatMul', inputs, `${g.transA}${g.transB}`),
    // webasm vectorises along x of a 2-D grid; GL textures passed on to flat-indexed kernels must be 1-D.
    () => matMulSource(g, !activeGpuRuntime().hardwareAccelerated),
    [kernelArg(a), kernelArg(b)],
    a.dtype,
    shape,
  );
}

/** An empty inner dimension gives zeros (gpu.js kernels need at least one argument-free body). */
function zeroSource(shape: readonly number[]): GpuKernelSource {
  return { source: 'function () {\nreturn 0.0;\n}', output: [shape.reduce((p, d) => p * d, 1)] };
}

export const matMulGpuKernels: KernelSpec[] = [
  defineGpuKernel({ opType: 'MatMul', integerPolicy: 'cpu', run: matMulKernel }),
];
