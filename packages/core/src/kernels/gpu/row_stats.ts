import { kernelArg, type KernelInput, kernelKey, runGpuKernel } from '../../gpu_backend/gpu_kernel.js';
import { kernelFunction } from '../../gpu_backend/index_codegen.js';
import type { GpuKernelSource } from '../../gpu_backend/kernel_cache.js';
import type { NDArray } from '../../ndarray/ndarray.js';

/**
 * Per-row statistics for softmax-style ops over x viewed as [outer, n, inner] along n: one
 * thread per (outer, inner) position. Returning the max and Σexp(x - max) separately (rather
 * than one log-sum-exp) keeps `x - max - log(sum)` as accurate as the cpu kernels' float64 form.
 */
export interface RowGeometry {
  outer: number;
  n: number;
  inner: number;
}

/** Offset of row element 0 for row thread `r`, as gpu.js statements defining `base`. */
function rowBase({ n, inner }: RowGeometry): string {
  if (inner === 1) return `const base = this.thread.x * ${n};`;
  return [
    `const q = Math.floor(this.thread.x / ${inner});`,
    `const base = q * ${n * inner} + (this.thread.x - q * ${inner});`,
  ].join('\n');
}

function maxSource(g: RowGeometry): GpuKernelSource {
  const body = [
    rowBase(g),
    'let best = -1.0 / 0.0;',
    `for (let j = 0; j < ${g.n}; j++) {`,
    `  const v = x[base + j * ${g.inner}];`,
    '  if (v > best) { best = v; }',
    '}',
    'return best;',
  ];
  return kernelFunction('x', body, g.outer * g.inner);
}

/** Kahan-compensated Σ exp(x - max) per row. */
function sumExpSource(g: RowGeometry): GpuKernelSource {
  const body = [
    rowBase(g),
    'const m = mx[this.thread.x];',
    'let acc = 0.0;',
    'let comp = 0.0;',
    `for (let j = 0; j < ${g.n}; j++) {`,
    `  const y = Math.exp(x[base + j * ${g.inner}] - m) - comp;`,
    '  const t = acc + y;',
    '  comp = (t - acc) - y;',
    '  acc = t;',
    '}',
    'return acc;',
  ];
  return kernelFunction('x, mx', body, g.outer * g.inner);
}

/** `shape` seen as [outer, n, inner] around `axis` (also used by ArgMax, Concat and GatherV2). */
export function rowGeometry(shape: readonly number[], axis: number): RowGeometry {
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  let inner = 1;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  return { outer, n: shape[axis]!, inner };
}

/** Row maxima and Σexp(x - max), one entry per (outer, inner), as kernel inputs (left on the GPU where they can be). */
export function rowStats(x: NDArray, xData: KernelInput, g: RowGeometry): { max: KernelInput; sumExp: KernelInput } {
  const rows = [g.outer * g.inner];
  const extra = `${g.outer},${g.n},${g.inner}`;
  const max = kernelArg(runGpuKernel(kernelKey('RowMax', [x], extra), () => maxSource(g), [xData], 'float32', rows));
  const sumExp = kernelArg(
    runGpuKernel(kernelKey('RowSumExp', [x], extra), () => sumExpSource(g), [xData, max], 'float32', rows),
  );
  return { max, sumExp };
}

/** gpu.js statements defining `r`, the row-statistics index of flat element `i`. */
export function rowIndexOf(g: RowGeometry): string {
  if (g.inner === 1) return `const r = Math.floor(i / ${g.n});`;
  return [
    `const q = Math.floor(i / ${g.n * g.inner});`,
    `const r = q * ${g.inner} + (i - Math.floor(i / ${g.inner}) * ${g.inner});`,
  ].join('\n');
}

/**
 * Kahan-compensated Σ_j value(at) per row, where `value` is a gpu.js expression of the element
 * offset `at` over the kernel parameters `params` (e.g. 'dy[at] * y[at]').
 */
export function rowSum(
  opType: string,
  like: NDArray,
  g: RowGeometry,
  params: string,
  value: string,
  args: readonly KernelInput[],
): KernelInput {
  const describe = (): GpuKernelSource => {
    const body = [
      rowBase(g),
      'let acc = 0.0;',
      'let comp = 0.0;',
      `for (let j = 0; j < ${g.n}; j++) {`,
      `  const at = base + j * ${g.inner};`,
      `  const term = ${value} - comp;`,
      '  const next = acc + term;',
      '  comp = (next - acc) - term;',
      '  acc = next;',
      '}',
      'return acc;',
    ];
    return kernelFunction(params, body, g.outer * g.inner);
  };
  const key = kernelKey(`${opType}RowSum`, [like], `${g.outer},${g.n},${g.inner}`);
  return kernelArg(runGpuKernel(key, describe, args, 'float32', [g.outer * g.inner]));
}
