import type { DType } from '../../dtype.js';
import { defineGpuKernel, invalidInput, kernelArg, kernelKey, runGpuKernel } from '../../gpu_backend/gpu_kernel.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { shapesEqual } from '../../ndarray/shape.js';
import type { OpKernelSpec } from '../../kernel_registry.js';
import { filled } from './data_movement_kernels.js';
import { elementwiseSource } from './elementwise_source.js';
import { MAX_REDUCED_RUNS, reducedRunCount, runReduction } from './reduction_kernels.js';

/**
 * Kernels of the ops only gradients build (references: kernels/cpu/grad_support_kernels.ts and
 * activation_grad_kernels.ts). Shape mismatches are left to the cpu kernels' named errors.
 */
function sameShapes(inputs: readonly NDArray[]): string | undefined {
  const first = inputs[0]!;
  return inputs.every((x) => shapesEqual(x.shape, first.shape))
    ? undefined
    : invalidInput('mismatched shapes are reported by the cpu kernel');
}

function elementwise(opType: string, inputs: readonly NDArray[], dtype: DType, body: string): NDArray {
  const shape = inputs[0]!.shape;
  const shapes = inputs.map((x) => x.shape);
  return runGpuKernel(
    kernelKey(opType, inputs),
    () => elementwiseSource(shapes, shape, body),
    inputs.map(kernelArg),
    dtype,
    shape,
  );
}

/** Axes of `shape` that summing down to `target` (numpy un-broadcast) reduces. */
function unbroadcastAxes(shape: readonly number[], target: readonly number[]): boolean[] | undefined {
  const offset = shape.length - target.length;
  if (offset < 0) return undefined;
  const axes: boolean[] = [];
  for (let axis = 0; axis < shape.length; axis++) {
    const t = axis - offset;
    if (t < 0) axes.push(true);
    else if (target[t] === shape[axis]) axes.push(false);
    else if (target[t] === 1) axes.push(true);
    else return undefined;
  }
  return axes;
}

function sumToShapeUnsupported(inputs: readonly NDArray[]): string | undefined {
  const grad = inputs[0]!;
  const axes = unbroadcastAxes(grad.shape, inputs[1]!.shape);
  if (!axes) return invalidInput('an impossible un-broadcast is reported by the cpu kernel');
  if (grad.size === 0) return 'summing an empty gradient is left to the cpu kernel';
  if (reducedRunCount(grad.shape, axes) > MAX_REDUCED_RUNS)
    return `summing over more than ${MAX_REDUCED_RUNS} separate groups of axes is not lowered to gpu.js`;
  return undefined;
}

export const gradSupportGpuKernels: OpKernelSpec[] = [
  defineGpuKernel({
    opType: 'AddN',
    integerPolicy: 'cpu',
    unsupported: sameShapes,
    run: (inputs) =>
      elementwise('AddN', inputs, inputs[0]!.dtype, `return ${inputs.map((_, k) => `x${k}`).join(' + ')};`),
  }),
  defineGpuKernel({
    opType: 'SumToShape',
    integerPolicy: 'cpu',
    unsupported: sumToShapeUnsupported,
    run: (inputs) => {
      const grad = inputs[0]!;
      const target = inputs[1]!.shape;
      if (shapesEqual(grad.shape, target)) return grad;
      return runReduction('SumToShape', grad, unbroadcastAxes(grad.shape, target)!, target, 'sum');
    },
  }),
  defineGpuKernel({
    opType: 'FillLike',
    integerPolicy: 'exact-values',
    run: (inputs, ctx) => filled(ctx.attrs.dtype, inputs[0]!.shape, ctx.attrs.value),
  }),
  // ReluGrad(dy, y): the gradient passes where the forward output was positive.
  defineGpuKernel({
    opType: 'ReluGrad',
    integerPolicy: 'exact-values',
    unsupported: sameShapes,
    run: (inputs) => elementwise('ReluGrad', inputs, inputs[0]!.dtype, 'if (x1 > 0.0) { return x0; }\nreturn 0.0;'),
  }),
  // SigmoidGrad(y, dy) = dy * y * (1 - y); TanhGrad(y, dy) = dy * (1 - y^2).
  defineGpuKernel({
    opType: 'SigmoidGrad',
    integerPolicy: 'cpu',
    unsupported: sameShapes,
    run: (inputs) => elementwise('SigmoidGrad', inputs, 'float32', 'return x1 * x0 * (1.0 - x0);'),
  }),
  defineGpuKernel({
    opType: 'TanhGrad',
    integerPolicy: 'cpu',
    unsupported: sameShapes,
    run: (inputs) => elementwise('TanhGrad', inputs, 'float32', 'return x1 * (1.0 - x0 * x0);'),
  }),
];
