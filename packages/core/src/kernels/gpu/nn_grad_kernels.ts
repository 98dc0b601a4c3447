import { defineGpuKernel, invalidInput, kernelArg, kernelKey, runGpuKernel } from '../../gpu_backend/gpu_kernel.js';
import { kernelFunction } from '../../gpu_backend/index_codegen.js';
import type { GpuKernelSource } from '../../gpu_backend/kernel_cache.js';
import type { Operation } from '../../graph/operation.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { shapesEqual } from '../../ndarray/shape.js';
import type { OpKernelContext, OpKernelSpec } from '../../kernel_registry.js';
import { attrsOf } from '../../graph/op_types.js';
import { elementwiseSource } from './elementwise_source.js';
import { rowGeometry, rowIndexOf, rowSum } from './row_stats.js';

/**
 * Backward kernels of softmax, logSoftmax and meanSquaredError (reference:
 * kernels/cpu/nn_grad_kernels.ts): a per-row sum pass, then one elementwise pass.
 */
function softmaxFamilyGrad(log: boolean) {
  return (inputs: readonly NDArray[], ctx: OpKernelContext<'SoftmaxGrad' | 'LogSoftmaxGrad'>): NDArray => {
    const [y, dy] = inputs as [NDArray, NDArray];
    const rawAxis = ctx.attrs.axis;
    const g = rowGeometry(y.shape, rawAxis < 0 ? rawAxis + y.rank : rawAxis);
    const yv = kernelArg(y);
    const gv = kernelArg(dy);
    const opType = log ? 'LogSoftmaxGrad' : 'SoftmaxGrad';
    // softmax: y * (dy - Σ dy·y); logSoftmax: dy - exp(y) * Σ dy.
    const sums = rowSum(opType, y, g, 'y, dy', log ? 'dy[at]' : 'dy[at] * y[at]', [yv, gv]);
    const value = log ? 'return dy[i] - Math.exp(y[i]) * s[r];' : 'return y[i] * (dy[i] - s[r]);';
    const describe = () => kernelFunction('y, dy, s', ['const i = this.thread.x;', rowIndexOf(g), value], y.size);
    return runGpuKernel(kernelKey(opType, inputs, String(rawAxis)), describe, [yv, gv, sums], 'float32', y.shape);
  };
}

function softmaxGradUnsupported(inputs: readonly NDArray[], op: Operation): string | undefined {
  const [y, dy] = inputs as [NDArray, NDArray];
  const axis = attrsOf<'SoftmaxGrad' | 'LogSoftmaxGrad'>(op).axis;
  if (!shapesEqual(y.shape, dy.shape) || y.rank === 0 || axis < -y.rank || axis >= y.rank)
    return invalidInput('bad shapes or axis are reported by the cpu kernel');
  return y.size === 0 ? 'empty tensors are left to the cpu kernel' : undefined;
}

/** d/dp mean((p - l)^2) * dy = (p - l) * 2 dy / n; the scale is a kernel argument, not baked in. */
function meanSquaredErrorGrad(inputs: readonly NDArray[]): NDArray {
  const [labels, predictions, dy] = inputs as [NDArray, NDArray, NDArray];
  const scale = (2 * dy.data[0]!) / predictions.size;
  const shape = predictions.shape;
  const describe = (): GpuKernelSource => {
    const base = elementwiseSource([shape, shape], shape, 'return (x1 - x0) * scale;');
    return { ...base, source: base.source.replace('function (a0, a1)', 'function (a0, a1, scale)') };
  };
  return runGpuKernel(
    kernelKey('MeanSquaredErrorGrad', inputs),
    describe,
    [kernelArg(labels), kernelArg(predictions), scale],
    'float32',
    shape,
  );
}

export const nnGradGpuKernels: OpKernelSpec[] = [
  defineGpuKernel({
    opType: 'SoftmaxGrad',
    integerPolicy: 'cpu',
    unsupported: softmaxGradUnsupported,
    run: softmaxFamilyGrad(false),
  }),
  defineGpuKernel({
    opType: 'LogSoftmaxGrad',
    integerPolicy: 'cpu',
    unsupported: softmaxGradUnsupported,
    run: softmaxFamilyGrad(true),
  }),
  defineGpuKernel({
    opType: 'MeanSquaredErrorGrad',
    integerPolicy: 'cpu',
    unsupported: ([l, p]) =>
      !shapesEqual(l!.shape, p!.shape)
        ? invalidInput('mismatched shapes are reported by the cpu kernel')
        : p!.size === 0
          ? 'empty inputs are left to the cpu kernel'
          : undefined,
    run: meanSquaredErrorGrad,
  }),
];
