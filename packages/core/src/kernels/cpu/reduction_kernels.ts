import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { formatShape } from '../../ndarray/shape.js';
import { defineKernel, type KernelContext, type OpKernelContext, type OpKernelSpec } from '../../kernel_registry.js';
import { outputData, zeroedFloat64 } from './kernel_memory.js';

const SUM = 0;
const MAX = 1;
const MIN = 2;
type Reducer = typeof SUM | typeof MAX | typeof MIN;

/** Which dims are reduced (one flag per dim of the run-time rank), from an `axis` attr of null (all) or a list; out-of-range and duplicate axes are named errors. @internal */
export function runtimeReductionAxes(axisAttr: unknown, rank: number, ctx: KernelContext): boolean[] {
  const reduced = new Array<boolean>(rank).fill(axisAttr === null || axisAttr === undefined);
  if (Array.isArray(axisAttr)) {
    for (const a of axisAttr as number[]) {
      if (a < -rank || a >= rank) {
        throw new InvalidArgumentError(
          `Invalid reduction dimension ${a} for input with ${rank} dimensions (op '${ctx.op.name}')`,
        );
      }
      const normal = a < 0 ? a + rank : a;
      if (reduced[normal])
        throw new InvalidArgumentError(`Axes contains duplicate dimension: ${normal} (op '${ctx.op.name}')`);
      reduced[normal] = true;
    }
  }
  return reduced;
}

/**
 * Walks the input once in memory order. Dims are merged into runs of kept / reduced dims; the
 * innermost run is either folded into one accumulator (reduced) or added elementwise into an
 * accumulator row (kept), so both row and column reductions are tight contiguous loops.
 * Accumulates in float64 and rounds once.
 */
function reduce(x: NDArray, reduced: readonly boolean[], reducer: Reducer, acc: Float64Array): void {
  const dims: number[] = [];
  const flags: boolean[] = [];
  for (let i = 0; i < x.rank; i++) {
    const d = x.shape[i]!;
    if (d === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && flags[last] === reduced[i]) dims[last] = dims[last]! * d;
    else {
      dims.push(d);
      flags.push(reduced[i]!);
    }
  }
  if (dims.length === 0) {
    dims.push(1);
    flags.push(false);
  }
  // Output strides of each merged run (0 for reduced runs).
  const outStrides = new Array<number>(dims.length).fill(0);
  let stride = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    if (!flags[i]) {
      outStrides[i] = stride;
      stride *= dims[i]!;
    }
  }
  const data = x.data;
  const rank = dims.length;
  const n = dims[rank - 1]!;
  const innerReduced = flags[rank - 1]!;
  const outerRank = rank - 1;
  const idx = new Array<number>(outerRank).fill(0);
  let o = 0;
  for (let inOff = 0; inOff < data.length; inOff += n) {
    if (innerReduced) {
      let s = acc[o]!;
      if (reducer === SUM) for (let j = 0; j < n; j++) s += data[inOff + j]!;
      else if (reducer === MAX)
        for (let j = 0; j < n; j++) {
          const v = data[inOff + j]!;
          if (v > s) s = v;
        }
      else
        for (let j = 0; j < n; j++) {
          const v = data[inOff + j]!;
          if (v < s) s = v;
        }
      acc[o] = s;
    } else if (reducer === SUM) {
      for (let j = 0; j < n; j++) acc[o + j] = acc[o + j]! + data[inOff + j]!;
    } else if (reducer === MAX) {
      for (let j = 0; j < n; j++) {
        const v = data[inOff + j]!;
        if (v > acc[o + j]!) acc[o + j] = v;
      }
    } else {
      for (let j = 0; j < n; j++) {
        const v = data[inOff + j]!;
        if (v < acc[o + j]!) acc[o + j] = v;
      }
    }
    for (let d = outerRank - 1; d >= 0; d--) {
      o += outStrides[d]!;
      if (++idx[d]! < dims[d]!) break;
      o -= outStrides[d]! * dims[d]!;
      idx[d] = 0;
    }
  }
}

function makeReductionKernel(reducer: Reducer, mean: boolean) {
  return (inputs: readonly NDArray[], ctx: OpKernelContext<'Sum' | 'Mean' | 'Max' | 'Min'>): NDArray => {
    const x = inputs[0]!;
    const reduced = runtimeReductionAxes(ctx.attrs.axis, x.rank, ctx);
    const keepDims = ctx.attrs.keepDims === true;
    const outShape: number[] = [];
    let count = 1;
    for (let i = 0; i < x.rank; i++) {
      if (reduced[i]) {
        count *= x.shape[i]!;
        if (keepDims) outShape.push(1);
      } else {
        outShape.push(x.shape[i]!);
      }
    }
    const outSize = outShape.reduce((p, d) => p * d, 1);
    const acc = zeroedFloat64(ctx, outSize);
    if (reducer === MAX) acc.fill(-Infinity);
    else if (reducer === MIN) acc.fill(Infinity);
    if (x.size > 0) reduce(x, reduced, reducer, acc);
    if (x.dtype === 'int32') {
      const out = outputData(ctx, 'int32', outSize);
      for (let i = 0; i < outSize; i++) {
        const v = mean ? Math.trunc(acc[i]! / count) : acc[i]!;
        // An empty max/min has no int32 infinity: TF gives the type's lowest/highest value.
        out[i] = v === -Infinity ? -2147483648 : v === Infinity ? 2147483647 : v;
      }
      return new NDArray('int32', outShape, out);
    }
    if (x.dtype !== 'float32') {
      throw new InvalidArgumentError(
        `${ctx.op.type} '${ctx.op.name}' does not support dtype ${x.dtype} (shape ${formatShape(x.shape)})`,
      );
    }
    const out = outputData(ctx, 'float32', outSize);
    if (mean) for (let i = 0; i < outSize; i++) out[i] = acc[i]! / count;
    else out.set(acc);
    return new NDArray('float32', outShape, out);
  };
}

export const reductionCpuKernels: OpKernelSpec[] = [
  defineKernel('Sum', 'cpu', makeReductionKernel(SUM, false)),
  defineKernel('Mean', 'cpu', makeReductionKernel(SUM, true)),
  defineKernel('Max', 'cpu', makeReductionKernel(MAX, false)),
  defineKernel('Min', 'cpu', makeReductionKernel(MIN, false)),
];
