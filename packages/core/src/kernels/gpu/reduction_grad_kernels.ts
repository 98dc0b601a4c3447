import { defineGpuKernel, invalidInput, kernelArg, kernelKey, runGpuKernel } from '../../gpu_backend/gpu_kernel.js';
import {
  broadcastOffsetExpression,
  coordinateStatements,
  floatLiteral,
  kernelFunction,
} from '../../gpu_backend/index_codegen.js';
import type { Operation } from '../../graph/operation.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import type { OpKernelContext, OpKernelSpec } from '../../kernel_registry.js';
import { attrsOf } from '../../graph/op_types.js';
import { MAX_REDUCED_RUNS, reducedAxes, reducedRunCount, runReduction } from './reduction_kernels.js';

/**
 * Backward kernels of Sum/Mean (ReductionGrad: spread dy back over each group) and Max/Min
 * (ExtremumReductionGrad: dy split evenly among the tied extrema). Reference:
 * kernels/cpu/reduction_grad_kernels.ts. Element i of x reads the reduced value at the kept coordinates.
 */
/** gpu.js statements defining `k`, the reduced-array index of element `i` of x. */
function keptIndex(shape: readonly number[], flags: readonly boolean[]): string {
  const kept = shape.map((d, i) => (flags[i] ? 1 : d));
  return [coordinateStatements('i', shape, 'c'), `const k = ${broadcastOffsetExpression(kept, shape, 'c')};`].join(
    '\n',
  );
}

function reductionGrad(inputs: readonly NDArray[], ctx: OpKernelContext<'ReductionGrad'>): NDArray {
  const [dy, x] = inputs as [NDArray, NDArray];
  const flags = reducedAxes(ctx.attrs.axis, x.rank);
  let group = 1;
  x.shape.forEach((d, i) => {
    if (flags[i]) group *= d;
  });
  const scale = ctx.attrs.mode === 'mean' ? 1 / group : 1;
  const describe = () =>
    kernelFunction(
      'dy',
      ['const i = this.thread.x;', keptIndex(x.shape, flags), `return dy[k] * ${floatLiteral(scale)};`],
      x.size,
    );
  const key = kernelKey('ReductionGrad', inputs, `${flags.join(',')}|${ctx.attrs.mode}`);
  return runGpuKernel(key, describe, [kernelArg(dy)], 'float32', x.shape);
}

function extremumGrad(inputs: readonly NDArray[], ctx: OpKernelContext<'ExtremumReductionGrad'>): NDArray {
  const [x, y, dy] = inputs as [NDArray, NDArray, NDArray];
  const flags = reducedAxes(ctx.attrs.axis, x.rank);
  const xv = kernelArg(x);
  const yv = kernelArg(y);
  const extra = flags.join(',');
  // Source text (the index arithmetic) is only built on a cache miss.
  const maskLines = () => [
    'const i = this.thread.x;',
    keptIndex(x.shape, flags),
    'if (x[i] === y[k]) { return 1.0; }',
    'return 0.0;',
  ];
  const mask = runGpuKernel(
    kernelKey('ExtremumMask', inputs, extra),
    () => kernelFunction('x, y', maskLines(), x.size),
    [xv, yv],
    'float32',
    x.shape,
  );
  const keptShape = x.shape.map((d, i) => (flags[i] ? 1 : d));
  const ties = runReduction('ExtremumTies', mask, flags, keptShape, 'sum');
  const gradLines = () => [
    'const i = this.thread.x;',
    keptIndex(x.shape, flags),
    'if (m[i] !== 0.0) { return dy[k] / t[k]; }',
    'return 0.0;',
  ];
  const key = kernelKey('ExtremumReductionGrad', inputs, extra);
  return runGpuKernel(
    key,
    () => kernelFunction('m, dy, t', gradLines(), x.size),
    [kernelArg(mask), kernelArg(dy), kernelArg(ties)],
    'float32',
    x.shape,
  );
}

/** Sizes that do not match, bad axes and empty inputs raise (or are handled) in the cpu kernels. */
function unsupported(x: NDArray, reduced: readonly NDArray[], op: Operation): string | undefined {
  const axis = attrsOf<'ReductionGrad' | 'ExtremumReductionGrad'>(op).axis;
  if (Array.isArray(axis) && axis.some((a) => a < -x.rank || a >= x.rank))
    return invalidInput('a bad axis is reported by the cpu kernel');
  const flags = reducedAxes(axis, x.rank);
  const keptSize = x.shape.reduce((p, d, i) => (flags[i] ? p : p * d), 1);
  if (reduced.some((r) => r.size !== keptSize))
    return invalidInput('mismatched reduced shapes are reported by the cpu kernel');
  if (x.size === 0) return 'empty inputs are left to the cpu kernel';
  if (reducedRunCount(x.shape, flags) > MAX_REDUCED_RUNS)
    return `more than ${MAX_REDUCED_RUNS} separate groups of reduced axes are not lowered to gpu.js`;
  return undefined;
}

export const reductionGradGpuKernels: OpKernelSpec[] = [
  defineGpuKernel({
    opType: 'ReductionGrad',
    integerPolicy: 'cpu',
    unsupported: ([dy, x], op) => unsupported(x!, [dy!], op),
    run: reductionGrad,
  }),
  defineGpuKernel({
    opType: 'ExtremumReductionGrad',
    integerPolicy: 'exact-values',
    unsupported: ([x, y, dy], op) => unsupported(x!, [y!, dy!], op),
    run: extremumGrad,
  }),
];
