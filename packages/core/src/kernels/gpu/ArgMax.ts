import { defineGpuKernel, invalidInput, kernelArg, kernelKey, runGpuKernel } from '../../gpu_backend/gpu_kernel.js';
import { kernelFunction } from '../../gpu_backend/index_codegen.js';
import type { GpuKernelSource } from '../../gpu_backend/kernel_cache.js';
import type { Operation } from '../../graph/operation.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import type { OpKernelContext, OpKernelSpec } from '../../kernel_registry.js';
import { attrsOf } from '../../graph/op_types.js';
import { rowGeometry } from './row_stats.js';

/**
 * One thread per output element scans its n values along the axis; the first strict maximum
 * wins and a leading NaN keeps index 0, exactly as the cpu reference kernels/cpu/ArgMax.ts.
 */
function argMaxSource(outer: number, n: number, inner: number): GpuKernelSource {
  const lines = [
    'const o = this.thread.x;',
    `const q = Math.floor(o / ${inner});`,
    `const base = q * ${n * inner} + (o - q * ${inner});`,
    'let best = x[base];',
    'let index = 0;',
    `for (let a = 1; a < ${n}; a++) {`,
    `  const v = x[base + a * ${inner}];`,
    '  if (v > best) {',
    '    best = v;',
    '    index = a;',
    '  }',
    '}',
    'return index;',
  ];
  return kernelFunction('x', lines, outer * inner);
}

function argMaxKernel(inputs: readonly NDArray[], ctx: OpKernelContext<'ArgMax'>): NDArray {
  const x = inputs[0]!;
  const rawAxis = ctx.attrs.axis;
  const axis = rawAxis < 0 ? rawAxis + x.rank : rawAxis;
  const { outer, n, inner } = rowGeometry(x.shape, axis);
  const outShape = x.shape.filter((_, i) => i !== axis);
  return runGpuKernel(
    kernelKey('ArgMax', inputs, String(axis)),
    () => argMaxSource(outer, n, inner),
    [kernelArg(x)],
    'int32',
    outShape,
  );
}

/** Bad axes and empty axes raise their named errors in the cpu kernel. */
function unsupported(inputs: readonly NDArray[], op: Operation): string | undefined {
  const x = inputs[0]!;
  const axis = attrsOf<'ArgMax'>(op).axis;
  if (!(axis >= -x.rank && axis < x.rank)) return invalidInput('an out-of-range axis is reported by the cpu kernel');
  if (x.shape[axis < 0 ? axis + x.rank : axis] === 0)
    return invalidInput('argMax over an empty axis is reported by the cpu kernel');
  return undefined;
}

export const argMaxGpuKernels: OpKernelSpec[] = [
  defineGpuKernel({ opType: 'ArgMax', integerPolicy: 'exact-values', unsupported, run: argMaxKernel }),
];
