import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { computeStrides, formatShape } from '../../ndarray/shape.js';
import { defineKernel, type KernelContext, type OpKernelContext, type OpKernelSpec } from '../../kernel_registry.js';
import { runtimeReductionAxes } from './reduction_kernels.js';
import { cachedByShapes, outputData } from './kernel_memory.js';

interface ReducedIndex {
  /** For each element of x (row-major), the flat index of its reduced value. */
  map: Int32Array;
  reducedSize: number;
  groupSize: number;
}

/** Maps every element of `shape` to the reduced element it contributes to (axes null = all). */
function reducedIndex(shape: readonly number[], axesAttr: unknown, ctx: KernelContext): ReducedIndex {
  const rank = shape.length;
  const reduced = runtimeReductionAxes(axesAttr, rank, ctx);
  const keptShape = shape.map((d, i) => (reduced[i] ? 1 : d));
  const keptStrides = computeStrides(keptShape);
  const outStride = new Array<number>(rank).fill(0);
  let groupSize = 1;
  let reducedSize = 1;
  for (let i = 0; i < rank; i++) {
    if (reduced[i]) groupSize *= shape[i]!;
    else {
      outStride[i] = keptStrides[i]!;
      reducedSize *= shape[i]!;
    }
  }
  const size = groupSize * reducedSize;
  const map = new Int32Array(size);
  const counter = new Array<number>(rank).fill(0);
  let dst = 0;
  for (let i = 0; i < size; i++) {
    map[i] = dst;
    for (let axis = rank - 1; axis >= 0; axis--) {
      counter[axis]!++;
      dst += outStride[axis]!;
      if (counter[axis]! < shape[axis]!) break;
      dst -= outStride[axis]! * shape[axis]!;
      counter[axis] = 0;
    }
  }
  return { map, reducedSize, groupSize };
}

function checkReducedSize(what: string, actual: NDArray, expected: number, ctx: KernelContext): void {
  if (actual.size !== expected) {
    throw new InvalidArgumentError(
      `${ctx.op.type} '${ctx.op.name}': ${what} has ${actual.size} elements (shape ${formatShape(actual.shape)}), expected ${expected}`,
    );
  }
}

function reductionGradKernel(inputs: readonly NDArray[], ctx: OpKernelContext<'ReductionGrad'>): NDArray {
  const [dy, x] = inputs as [NDArray, NDArray];
  const { map, reducedSize, groupSize } = cachedByShapes(ctx, [x], () => reducedIndex(x.shape, ctx.attrs.axis, ctx));
  checkReducedSize('dy', dy, reducedSize, ctx);
  const scale = ctx.attrs.mode === 'mean' ? 1 / groupSize : 1;
  const g = dy.data;
  const out = outputData(ctx, 'float32', map.length);
  for (let i = 0; i < map.length; i++) out[i] = g[map[i]!]! * scale;
  return new NDArray('float32', x.shape, out);
}

function extremumGradKernel(inputs: readonly NDArray[], ctx: OpKernelContext<'ExtremumReductionGrad'>): NDArray {
  const [x, y, dy] = inputs as [NDArray, NDArray, NDArray];
  const { map, reducedSize } = cachedByShapes(ctx, [x], () => reducedIndex(x.shape, ctx.attrs.axis, ctx));
  checkReducedSize('y', y, reducedSize, ctx);
  checkReducedSize('dy', dy, reducedSize, ctx);
  const xs = x.data;
  const ys = y.data;
  const g = dy.data;
  const ties = outputData(ctx, 'int32', reducedSize);
  ties.fill(0);
  for (let i = 0; i < map.length; i++) if (xs[i] === ys[map[i]!]) ties[map[i]!]!++;
  const out = outputData(ctx, 'float32', map.length);
  for (let i = 0; i < map.length; i++) {
    const j = map[i]!;
    out[i] = xs[i] === ys[j] ? g[j]! / ties[j]! : 0;
  }
  return new NDArray('float32', x.shape, out);
}

/** Backward kernels of Sum/Mean and Max/Min. */
export const reductionGradCpuKernels: OpKernelSpec[] = [
  defineKernel('ReductionGrad', 'cpu', reductionGradKernel),
  defineKernel('ExtremumReductionGrad', 'cpu', extremumGradKernel),
];
