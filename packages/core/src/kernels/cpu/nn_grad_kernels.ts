import { NDArray } from '../../ndarray/ndarray.js';
import { normalizeAxis, shapeSize } from '../../ndarray/shape.js';
import { defineKernel, type KernelContext, type OpKernelContext, type OpKernelSpec } from '../../kernel_registry.js';
import { requireSameShape } from './kernel_errors.js';
import { outputData } from './kernel_memory.js';

/**
 * Shared loop of the softmax-family backward passes: for each row along `axis` (outer × inner
 * rows of length n, stride inner) computes a per-row sum, then the per-element result.
 */
function softmaxFamilyGrad(
  inputs: readonly NDArray[],
  ctx: OpKernelContext<'SoftmaxGrad' | 'LogSoftmaxGrad'>,
  logSoftmax: boolean,
): NDArray {
  const [y, dy] = inputs as [NDArray, NDArray];
  requireSameShape(y, dy, ctx);
  const axis = normalizeAxis(ctx.attrs.axis, y.rank, `${ctx.op.type} '${ctx.op.name}'`);
  const n = y.shape[axis]!;
  const outer = shapeSize(y.shape.slice(0, axis));
  const inner = shapeSize(y.shape.slice(axis + 1));
  const yv = y.data;
  const g = dy.data;
  const out = outputData(ctx, 'float32', y.size);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let sum = 0;
      if (logSoftmax) for (let k = 0; k < n; k++) sum += g[base + k * inner]!;
      else for (let k = 0; k < n; k++) sum += g[base + k * inner]! * yv[base + k * inner]!;
      if (logSoftmax) {
        for (let k = 0; k < n; k++) {
          const at = base + k * inner;
          out[at] = g[at]! - Math.exp(yv[at]!) * sum;
        }
      } else {
        for (let k = 0; k < n; k++) {
          const at = base + k * inner;
          out[at] = yv[at]! * (g[at]! - sum);
        }
      }
    }
  }
  return new NDArray('float32', y.shape, out);
}

function meanSquaredErrorGradKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const [labels, predictions, dy] = inputs as [NDArray, NDArray, NDArray];
  requireSameShape(labels, predictions, ctx);
  const n = predictions.size;
  const scale = n === 0 ? 0 : (2 * dy.data[0]!) / n;
  const l = labels.data;
  const p = predictions.data;
  const out = outputData(ctx, 'float32', n);
  for (let i = 0; i < n; i++) out[i] = (p[i]! - l[i]!) * scale;
  return new NDArray('float32', predictions.shape, out);
}

/** Backward kernels of softmax, logSoftmax and meanSquaredError. */
export const nnGradCpuKernels: OpKernelSpec[] = [
  defineKernel('SoftmaxGrad', 'cpu', (inputs, ctx) => softmaxFamilyGrad(inputs, ctx, false)),
  defineKernel('LogSoftmaxGrad', 'cpu', (inputs, ctx) => softmaxFamilyGrad(inputs, ctx, true)),
  { opType: 'MeanSquaredErrorGrad', device: 'cpu', kernel: meanSquaredErrorGradKernel },
];
