import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { computeStrides, formatShape, shapeSize, shapesEqual } from '../../ndarray/shape.js';
import type { KernelContext, OpKernelSpec } from '../../kernel_registry.js';
import { heapAddress, wasmKernels } from '../../cpu_backend/wasm_kernels.js';
import { runShares } from '../../cpu_backend/wasm_dispatch.js';
import { outputData, zeroedFloat64 } from './kernel_memory.js';

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
  const summed = columnSums(ctx, grad, target);
  if (summed !== null) return summed;
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

/**
 * The bias-gradient case, grad [..., C] summed to [C] (or [1, ..., C]), on the wasm kernel: float64
 * column sums, row after row as the loop above adds them (so the results are the same), with
 * threads taking ranges of columns. Returns null when the case or the memory doesn't fit.
 */
function columnSums(ctx: KernelContext, grad: NDArray, target: readonly number[]): NDArray | null {
  const rank = grad.rank;
  const channels = grad.shape[rank - 1];
  if (
    grad.dtype !== 'float32' ||
    rank < 2 ||
    channels === undefined ||
    channels === 0 ||
    target[target.length - 1] !== channels
  )
    return null;
  for (let i = 0; i < target.length - 1; i++) if (target[i] !== 1) return null;
  const wasm = wasmKernels();
  if (wasm === null) return null;
  const gradAt = heapAddress(wasm, grad.data);
  const acc = zeroedFloat64(ctx, channels);
  const out = outputData(ctx, 'float32', channels);
  const accAt = heapAddress(wasm, acc);
  const outAt = heapAddress(wasm, out);
  if (gradAt < 0 || accAt < 0 || outAt < 0) return null;
  const rows = grad.size / channels;
  runShares(ctx, wasm, 'columnSums', channels, grad.size, (c0, c1) => [gradAt, accAt, channels, c0, c1, rows], {
    align: 2,
  });
  wasm.exports.storeSums(accAt, outAt, channels);
  return new NDArray('float32', target, out);
}

export const sumToShapeCpuKernels: OpKernelSpec[] = [{ opType: 'SumToShape', device: 'cpu', kernel: sumToShapeKernel }];
