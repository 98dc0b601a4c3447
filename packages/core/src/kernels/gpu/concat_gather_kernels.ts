import { defineGpuKernel, invalidInput, kernelArg, kernelKey, runGpuKernel } from '../../gpu_backend/gpu_kernel.js';
import { kernelFunction } from '../../gpu_backend/index_codegen.js';
import type { GpuKernelSource } from '../../gpu_backend/kernel_cache.js';
import type { Operation } from '../../graph/operation.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import type { KernelContext, OpKernelSpec } from '../../kernel_registry.js';
import { attrsOf } from '../../graph/op_types.js';
import { rowGeometry } from './row_stats.js';

/**
 * Concat and GatherV2 on gpu.js (references: kernels/cpu/Concat.ts, GatherV2.ts), each output
 * element reading one input element. Bad axes, shapes and indices are left to the cpu kernels,
 * which name them in their errors.
 */
function normalAxis(op: Operation, rank: number): number {
  const axis = attrsOf<'Concat' | 'GatherV2'>(op).axis;
  return axis < 0 ? axis + rank : axis;
}

/** Seen as [outer, total*inner], input k owns columns [start_k, start_k + chunk_k) of every row. */
function concatSource(chunks: readonly number[], outer: number): GpuKernelSource {
  const rowLength = chunks.reduce((a, b) => a + b, 0);
  const params = chunks.map((_, k) => `a${k}`).join(', ');
  const lines = [
    'const i = this.thread.x;',
    `const o = Math.floor(i / ${rowLength});`,
    `const col = i - o * ${rowLength};`,
  ];
  let start = 0;
  chunks.forEach((chunk, k) => {
    const read = `return a${k}[o * ${chunk} + col - ${start}];`;
    lines.push(k === chunks.length - 1 ? read : `if (col < ${start + chunk}) { ${read} }`);
    start += chunk;
  });
  return kernelFunction(params, lines, outer * rowLength);
}

function concat(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const first = inputs[0]!;
  const axis = normalAxis(ctx.op, first.rank);
  const { outer, inner } = rowGeometry(first.shape, axis);
  // Empty inputs contribute no columns and are not passed to gpu.js.
  const present = inputs.filter((x) => x.size > 0);
  const outShape = first.shape.slice();
  outShape[axis] = inputs.reduce((total, x) => total + x.shape[axis]!, 0);
  const chunks = present.map((x) => x.shape[axis]! * inner);
  return runGpuKernel(
    kernelKey('Concat', inputs, String(axis)),
    () => concatSource(chunks, outer),
    present.map(kernelArg),
    first.dtype,
    outShape,
  );
}

function concatUnsupported(inputs: readonly NDArray[], op: Operation): string | undefined {
  const first = inputs[0]!;
  const axis = normalAxis(op, first.rank);
  if (axis < 0 || axis >= first.rank) return invalidInput('an out-of-range axis is reported by the cpu kernel');
  const mismatch = inputs.some(
    (x) => x.rank !== first.rank || x.shape.some((d, i) => i !== axis && d !== first.shape[i]),
  );
  return mismatch ? invalidInput('mismatched shapes are reported by the cpu kernel') : undefined;
}

function gatherSource(outer: number, n: number, count: number, inner: number): GpuKernelSource {
  const lines = [
    'const i = this.thread.x;',
    `const o = Math.floor(i / ${count * inner});`,
    `const rest = i - o * ${count * inner};`,
    `const j = Math.floor(rest / ${inner});`,
    `const k = rest - j * ${inner};`,
    `return p[o * ${n * inner} + idx[j] * ${inner} + k];`,
  ];
  return kernelFunction('p, idx', lines, outer * count * inner);
}

function gather(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const [params, indices] = inputs as [NDArray, NDArray];
  const axis = normalAxis(ctx.op, params.rank);
  const { outer, n, inner } = rowGeometry(params.shape, axis);
  const outShape = [...params.shape.slice(0, axis), ...indices.shape, ...params.shape.slice(axis + 1)];
  const key = kernelKey('GatherV2', inputs, String(axis));
  return runGpuKernel(
    key,
    () => gatherSource(outer, n, indices.size, inner),
    [kernelArg(params), kernelArg(indices)],
    params.dtype,
    outShape,
  );
}

function gatherUnsupported(inputs: readonly NDArray[], op: Operation): string | undefined {
  const [params, indices] = inputs as [NDArray, NDArray];
  const axis = normalAxis(op, params.rank);
  if (axis < 0 || axis >= params.rank) return invalidInput('an out-of-range axis is reported by the cpu kernel');
  const n = params.shape[axis]!;
  for (const v of indices.data)
    if (v < 0 || v >= n) return invalidInput('out-of-range indices are reported by the cpu kernel');
  return params.size === 0 ? 'empty params are left to the cpu kernel' : undefined;
}

export const concatGatherGpuKernels: OpKernelSpec[] = [
  defineGpuKernel({ opType: 'Concat', integerPolicy: 'exact-values', unsupported: concatUnsupported, run: concat }),
  defineGpuKernel({ opType: 'GatherV2', integerPolicy: 'exact-values', unsupported: gatherUnsupported, run: gather }),
];
