import { NDArray } from '../../ndarray/ndarray.js';
import { normalizeAxis, shapeSize } from '../../ndarray/shape.js';
import { defineKernel, type OpKernelContext, type OpKernelSpec } from '../../kernel_registry.js';
import { outputData } from './kernel_memory.js';

/**
 * Softmax of the contiguous row x[base .. base+n) into out[base ..], max-shifted so large logits
 * never overflow, summed in float64. Returns the row's log-sum-exp (`max + log(sum(exp))`), which
 * the cross-entropy kernels need too.
 */
export function softmaxRow(x: Float32Array, base: number, n: number, out: Float32Array): number {
  let max = -Infinity;
  for (let j = 0; j < n; j++) if (x[base + j]! > max) max = x[base + j]!;
  let sum = 0;
  // Park each exp in the output so it is computed once, then scale in place.
  for (let j = 0; j < n; j++) {
    const e = Math.exp(x[base + j]! - max);
    out[base + j] = e;
    sum += e;
  }
  const scale = 1 / sum;
  for (let j = 0; j < n; j++) out[base + j] = out[base + j]! * scale;
  return max + Math.log(sum);
}

/**
 * Softmax / log-softmax of x seen as [outer, n, inner] along n. Each row subtracts its max before
 * exponentiating (so large logits never overflow) and sums in float64.
 */
function softmaxInto(x: Float32Array, out: Float32Array, outer: number, n: number, inner: number, log: boolean): void {
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      const base = o * n;
      if (!log) {
        softmaxRow(x, base, n, out);
        continue;
      }
      let max = -Infinity;
      for (let j = 0; j < n; j++) if (x[base + j]! > max) max = x[base + j]!;
      let sum = 0;
      for (let j = 0; j < n; j++) sum += Math.exp(x[base + j]! - max);
      const logSum = Math.log(sum) + max;
      for (let j = 0; j < n; j++) out[base + j] = x[base + j]! - logSum;
    }
    return;
  }
  // Softmax over a middle axis: keep one running max / sum per inner position so every pass
  // reads contiguous rows.
  const max = new Float64Array(inner);
  const sum = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    max.fill(-Infinity);
    sum.fill(0);
    for (let j = 0; j < n; j++) {
      const row = base + j * inner;
      for (let i = 0; i < inner; i++) if (x[row + i]! > max[i]!) max[i] = x[row + i]!;
    }
    for (let j = 0; j < n; j++) {
      const row = base + j * inner;
      for (let i = 0; i < inner; i++) sum[i] = sum[i]! + Math.exp(x[row + i]! - max[i]!);
    }
    for (let j = 0; j < n; j++) {
      const row = base + j * inner;
      if (log) for (let i = 0; i < inner; i++) out[row + i] = x[row + i]! - max[i]! - Math.log(sum[i]!);
      else for (let i = 0; i < inner; i++) out[row + i] = Math.exp(x[row + i]! - max[i]!) / sum[i]!;
    }
  }
}

function makeSoftmaxKernel(log: boolean) {
  return (inputs: readonly NDArray[], ctx: OpKernelContext<'Softmax' | 'LogSoftmax'>): NDArray => {
    const x = inputs[0]!;
    const rank = x.rank;
    const axis = normalizeAxis(ctx.attrs.axis, rank, `${ctx.op.type} '${ctx.op.name}'`);
    const outer = shapeSize(x.shape.slice(0, axis));
    const inner = shapeSize(x.shape.slice(axis + 1));
    const out = outputData(ctx, 'float32', x.size) as Float32Array;
    if (x.size > 0) softmaxInto(x.data as Float32Array, out, outer, x.shape[axis]!, inner, log);
    return new NDArray('float32', x.shape, out);
  };
}

export const softmaxCpuKernels: OpKernelSpec[] = [
  defineKernel('Softmax', 'cpu', makeSoftmaxKernel(false)),
  defineKernel('LogSoftmax', 'cpu', makeSoftmaxKernel(true)),
];
