import type { DType } from '../../dtype.js';
import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { computeStrides, formatShape, shapeSize, shapesEqual } from '../../ndarray/shape.js';
import type { KernelContext, KernelSpec } from '../kernel_registry.js';
import { activationGradCpuKernels } from './ActivationGrads.js';
import { reductionGradCpuKernels } from './ReductionGrads.js';
import { shapeGradCpuKernels } from './ShapeGrads.js';
import { nnGradCpuKernels } from './NnGrads.js';
import { convGradCpuKernels } from './ConvGrads.js';
import { maxPoolGradGradCpuKernels } from './MaxPoolGradGrad.js';
import { filled } from './fill_kernels.js';
import { outputData, zeroedFloat64 } from './kernel_memory.js';

function addNKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const first = inputs[0]!;
  for (const other of inputs) {
    if (!shapesEqual(other.shape, first.shape)) {
      throw new InvalidArgumentError(
        `AddN '${ctx.op.name}': inputs must all have shape ${formatShape(first.shape)}, got ${formatShape(other.shape)}`,
      );
    }
  }
  const out = outputData(ctx, first.dtype, first.size);
  out.set(first.data);
  for (let k = 1; k < inputs.length; k++) {
    const src = inputs[k]!.data;
    for (let i = 0; i < out.length; i++) out[i] = out[i]! + src[i]!;
  }
  return new NDArray(first.dtype, first.shape, out);
}

/**
 * Sums `grad` down to `like`'s shape. Each grad axis maps to an output stride (0 where the
 * target was broadcast), so one pass over grad in memory order does all the reductions.
 */
function sumToShapeKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const grad = inputs[0]!;
  const target = inputs[1]!.shape;
  if (shapesEqual(grad.shape, target)) return grad;
  const shape = grad.shape;
  const rank = shape.length;
  const offset = rank - target.length;
  const mismatch = (): InvalidArgumentError =>
    new InvalidArgumentError(
      `SumToShape '${ctx.op.name}': cannot sum a gradient of shape ${formatShape(shape)} to shape ${formatShape(target)}`,
    );
  if (offset < 0) throw mismatch();
  const targetStrides = computeStrides(target);
  const outStride = new Array<number>(rank).fill(0);
  for (let axis = 0; axis < rank; axis++) {
    const t = axis - offset;
    if (t < 0) continue;
    if (target[t] === shape[axis]) outStride[axis] = targetStrides[t]!;
    else if (target[t] !== 1) throw mismatch();
  }
  const acc = zeroedFloat64(ctx, shapeSize(target));
  const g = grad.data;
  if (g.length > 0) {
    const inner = rank > 0 ? shape[rank - 1]! : 1;
    const innerStride = rank > 0 ? outStride[rank - 1]! : 0;
    const outerCount = g.length / inner;
    const counter = new Array<number>(Math.max(rank - 1, 0)).fill(0);
    let base = 0;
    let src = 0;
    for (let outer = 0; outer < outerCount; outer++) {
      let dst = base;
      for (let k = 0; k < inner; k++) {
        acc[dst] = acc[dst]! + g[src++]!;
        dst += innerStride;
      }
      for (let axis = rank - 2; axis >= 0; axis--) {
        counter[axis]!++;
        base += outStride[axis]!;
        if (counter[axis]! < shape[axis]!) break;
        base -= outStride[axis]! * shape[axis]!;
        counter[axis] = 0;
      }
    }
  }
  const out = outputData(ctx, grad.dtype, acc.length);
  for (let i = 0; i < acc.length; i++) out[i] = acc[i]!;
  return new NDArray(grad.dtype, target, out);
}

function fillLikeKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  return filled(ctx, ctx.attrs['dtype'] as DType, inputs[0]!.shape, ctx.attrs['value'] as number);
}

/**
 * Kernels of the ops that only gradients build: summing contributions, un-broadcasting, seeds,
 * and (from the other Grad files) the fused backward ops.
 */
export const gradSupportCpuKernels: KernelSpec[] = [
  { opType: 'AddN', device: 'cpu', kernel: addNKernel },
  { opType: 'SumToShape', device: 'cpu', kernel: sumToShapeKernel },
  { opType: 'FillLike', device: 'cpu', kernel: fillLikeKernel },
  ...activationGradCpuKernels,
  ...reductionGradCpuKernels,
  ...shapeGradCpuKernels,
  ...nnGradCpuKernels,
  ...convGradCpuKernels,
  ...maxPoolGradGradCpuKernels,
];
