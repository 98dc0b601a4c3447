import { defineGpuKernel, invalidInput, kernelArg, kernelKey, runGpuKernel } from '../../gpu_backend/gpu_kernel.js';
import { coordinateStatements, kernelFunction } from '../../gpu_backend/index_codegen.js';
import type { GpuKernelSource } from '../../gpu_backend/kernel_cache.js';
import type { Operation } from '../../graph/operation.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { formatShape } from '../../ndarray/shape.js';
import type { OpKernelContext, OpKernelSpec } from '../../kernel_registry.js';
import { attrsOf } from '../../graph/op_types.js';

export type Reducer = 'sum' | 'mean' | 'max' | 'min';

/**
 * The input regrouped as alternating runs of kept / reduced dims (size-1 dims dropped, neighbours
 * with the same role merged), as the cpu reference kernels/cpu/reduction_kernels.ts walks it.
 */
interface Runs {
  dims: number[];
  reduced: boolean[];
  strides: number[];
}

function mergeRuns(shape: readonly number[], reducedAxes: readonly boolean[]): Runs {
  const dims: number[] = [];
  const reduced: boolean[] = [];
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (d === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && reduced[last] === reducedAxes[i]) dims[last] = dims[last]! * d;
    else {
      dims.push(d);
      reduced.push(reducedAxes[i]!);
    }
  }
  const strides = new Array<number>(dims.length);
  let stride = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= dims[i]!;
  }
  return { dims, reduced, strides };
}

/** At most two reduced runs get nested loops; more (rank >= 5 patterns) run on cpu. */
export const MAX_REDUCED_RUNS = 2;

/** How many separate groups of reduced axes `axes` leaves after merging neighbours. */
export function reducedRunCount(shape: readonly number[], axes: readonly boolean[]): number {
  return mergeRuns(shape, axes).reduced.filter(Boolean).length;
}

/** Per axis, whether a reduction's `axis` attribute (null: all axes) reduces it. */
export function reducedAxes(axisAttr: unknown, rank: number): boolean[] {
  const out = new Array<boolean>(rank).fill(axisAttr === null || axisAttr === undefined);
  if (Array.isArray(axisAttr)) for (const a of axisAttr as number[]) out[a < 0 ? a + rank : a] = true;
  return out;
}

/**
 * One thread per output element, looping over its reduced elements. Sums use Kahan compensation
 * so float32 accumulation tracks the cpu kernel's float64 one.
 */
function reductionSource(runs: Runs, reducer: Reducer, count: number, outSize: number): GpuKernelSource {
  const keptIdx = runs.dims.map((_, i) => i).filter((i) => !runs.reduced[i]);
  const redIdx = runs.dims.map((_, i) => i).filter((i) => runs.reduced[i]);
  const lines: string[] = ['const o = this.thread.x;'];
  const keptDims = keptIdx.map((i) => runs.dims[i]!);
  lines.push(coordinateStatements('o', keptDims, 'k'));
  const base = keptIdx.map((run, j) => `k${j} * ${runs.strides[run]}`).join(' + ') || '0';
  lines.push(`const base = ${base};`);
  const isSum = reducer === 'sum' || reducer === 'mean';
  lines.push(
    isSum ? 'let acc = 0.0;\nlet comp = 0.0;' : `let acc = ${reducer === 'max' ? '-1.0 / 0.0' : '1.0 / 0.0'};`,
  );
  const step = isSum
    ? 'const y = v - comp;\nconst t = acc + y;\ncomp = (t - acc) - y;\nacc = t;'
    : reducer === 'max'
      ? 'if (v > acc) { acc = v; }'
      : 'if (v < acc) { acc = v; }';
  const [outer, inner] = redIdx;
  if (inner === undefined) {
    lines.push(
      `for (let r = 0; r < ${runs.dims[outer!]}; r++) {`,
      `const v = x[base + r * ${runs.strides[outer!]}];`,
      step,
      '}',
    );
  } else {
    lines.push(`for (let r = 0; r < ${runs.dims[outer!]}; r++) {`, `for (let q = 0; q < ${runs.dims[inner]}; q++) {`);
    lines.push(`const v = x[base + r * ${runs.strides[outer!]} + q * ${runs.strides[inner]}];`, step, '}', '}');
  }
  lines.push(reducer === 'mean' ? `return acc / ${count}.0;` : 'return acc;');
  return kernelFunction('x', lines, outSize);
}

/**
 * Reduces `x` over the flagged axes with `reducer`; the result has `outShape` (the kept dims,
 * with or without size-1 placeholders). Also used by SumToShape.
 */
export function runReduction(
  opType: string,
  x: NDArray,
  axes: readonly boolean[],
  outShape: readonly number[],
  reducer: Reducer,
): NDArray {
  let count = 1;
  x.shape.forEach((d, i) => {
    if (axes[i]) count *= d;
  });
  const outSize = outShape.reduce((p, d) => p * d, 1);
  const runs = mergeRuns(x.shape, axes);
  if (!runs.reduced.some(Boolean)) {
    // Nothing (of size > 1) is reduced: every output is one input element.
    runs.dims.push(1);
    runs.reduced.push(true);
    runs.strides.push(0);
  }
  return runGpuKernel(
    kernelKey(opType, [x], `${axes.join(',')}|${outShape.join(',')}`),
    () => reductionSource(runs, reducer, count, outSize),
    [kernelArg(x)],
    x.dtype,
    outShape,
  );
}

/** The forward reductions: all carry `axis` and `keepDims`. */
type ReductionOp = 'Sum' | 'Mean' | 'Max' | 'Min';

function makeReductionKernel(opType: string, reducer: Reducer) {
  return (inputs: readonly NDArray[], ctx: OpKernelContext<ReductionOp>): NDArray => {
    const x = inputs[0]!;
    const axes = reducedAxes(ctx.attrs.axis, x.rank);
    const keepDims = ctx.attrs.keepDims === true;
    const outShape: number[] = [];
    x.shape.forEach((d, i) => {
      if (!axes[i]) outShape.push(d);
      else if (keepDims) outShape.push(1);
    });
    return runReduction(opType, x, axes, outShape, reducer);
  };
}

function unsupported(inputs: readonly NDArray[], op: Operation): string | undefined {
  const x = inputs[0]!;
  const axis = attrsOf<ReductionOp>(op).axis;
  if (Array.isArray(axis)) {
    const normal = axis.map((a) => (a < 0 ? a + x.rank : a));
    if (normal.some((a, i) => a < 0 || a >= x.rank || normal.indexOf(a) !== i))
      return invalidInput('invalid reduction axes are reported by the cpu kernel');
  }
  if (x.size === 0) return 'reductions of empty tensors give dtype-specific identities; the cpu kernel handles them';
  if (reducedRunCount(x.shape, reducedAxes(axis, x.rank)) > MAX_REDUCED_RUNS) {
    return `reducing more than ${MAX_REDUCED_RUNS} separate groups of axes of a tensor of shape ${formatShape(x.shape)} is not lowered to gpu.js`;
  }
  return undefined;
}

export const reductionGpuKernels: OpKernelSpec[] = [
  defineGpuKernel({ opType: 'Sum', integerPolicy: 'cpu', unsupported, run: makeReductionKernel('Sum', 'sum') }),
  defineGpuKernel({ opType: 'Mean', integerPolicy: 'cpu', unsupported, run: makeReductionKernel('Mean', 'mean') }),
  defineGpuKernel({
    opType: 'Max',
    integerPolicy: 'exact-values',
    unsupported,
    run: makeReductionKernel('Max', 'max'),
  }),
  defineGpuKernel({
    opType: 'Min',
    integerPolicy: 'exact-values',
    unsupported,
    run: makeReductionKernel('Min', 'min'),
  }),
];
