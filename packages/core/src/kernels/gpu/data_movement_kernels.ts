import type { DType } from '../../dtype.js';
import {
  defineGpuKernel,
  invalidInput,
  kernelArg,
  kernelKey,
  MAX_EXACT_FLOAT_INT,
  runGpuKernel,
} from '../../gpu_backend/gpu_kernel.js';
import {
  broadcastOffsetExpression,
  coordinateStatements,
  floatLiteral,
  kernelFunction,
} from '../../gpu_backend/index_codegen.js';
import type { GpuKernelSource } from '../../gpu_backend/kernel_cache.js';
import type { Operation } from '../../graph/operation.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { computeStrides, shapeSize } from '../../ndarray/shape.js';
import type { OpKernelContext, OpKernelSpec } from '../../kernel_registry.js';
import { attrsOf } from '../../graph/op_types.js';

/**
 * Kernels that only move or replicate values (references: kernels/cpu/Transpose.ts, Tile.ts,
 * BroadcastTo.ts, fill_kernels.ts). Each output element reads one input element whose offset
 * is a closed-form expression of the output coordinates `c0..`.
 */
function gatherSource(outShape: readonly number[], offset: string): GpuKernelSource {
  const body = [`const i = this.thread.x;`, coordinateStatements('i', outShape, 'c'), `return x[${offset}];`];
  return kernelFunction('x', body, shapeSize(outShape));
}

function transposeKernel(inputs: readonly NDArray[], ctx: OpKernelContext<'Transpose'>): NDArray {
  const x = inputs[0]!;
  const rank = x.rank;
  const perm = ctx.attrs.perm ?? x.shape.map((_, i) => rank - 1 - i);
  const outShape = perm.map((p) => x.shape[p]!);
  const inStrides = computeStrides(x.shape);
  // Output axis k walks input axis perm[k].
  const offset =
    perm
      .map((p, k) => (x.shape[p] === 1 ? '' : `c${k} * ${inStrides[p]}`))
      .filter(Boolean)
      .join(' + ') || '0';
  return runGpuKernel(
    kernelKey('Transpose', inputs, perm.join(',')),
    () => gatherSource(outShape, offset),
    [kernelArg(x)],
    x.dtype,
    outShape,
  );
}

function tileKernel(inputs: readonly NDArray[]): NDArray {
  const x = inputs[0]!;
  const multiples = Array.from(inputs[1]!.data);
  const outShape = x.shape.map((d, i) => d * multiples[i]!);
  const inStrides = computeStrides(x.shape);
  // Output coordinate c along an axis of size d reads element c mod d.
  const offset =
    x.shape
      .map((d, k) => (d === 1 ? '' : `(c${k} - Math.floor(c${k} / ${d}) * ${d}) * ${inStrides[k]}`))
      .filter(Boolean)
      .join(' + ') || '0';
  return runGpuKernel(
    kernelKey('Tile', inputs, multiples.join(',')),
    () => gatherSource(outShape, offset),
    [kernelArg(x)],
    x.dtype,
    outShape,
  );
}

function broadcastToKernel(inputs: readonly NDArray[]): NDArray {
  const x = inputs[0]!;
  const target = Array.from(inputs[1]!.data);
  const offset = broadcastOffsetExpression(x.shape, target, 'c');
  return runGpuKernel(
    kernelKey('BroadcastTo', inputs, target.join(',')),
    () => gatherSource(target, offset),
    [kernelArg(x)],
    x.dtype,
    target,
  );
}

/** Shape checks stay with the cpu kernels, which raise the named errors. */
function transposeUnsupported(inputs: readonly NDArray[], op: Operation): string | undefined {
  const rank = inputs[0]!.rank;
  const perm = attrsOf<'Transpose'>(op).perm;
  if (perm === null || perm === undefined) return undefined;
  const fits = perm.length === rank && new Set(perm).size === rank && perm.every((p) => p >= 0 && p < rank);
  return fits ? undefined : invalidInput('a perm that does not fit the input is reported by the cpu kernel');
}

function tileUnsupported(inputs: readonly NDArray[]): string | undefined {
  const x = inputs[0]!;
  const multiples = inputs[1]!.data;
  if (multiples.length !== x.rank || Array.prototype.some.call(multiples, (m: number) => m < 0))
    return invalidInput('invalid multiples are reported by the cpu kernel');
  return undefined;
}

function broadcastToUnsupported(inputs: readonly NDArray[]): string | undefined {
  const x = inputs[0]!;
  const target = Array.from(inputs[1]!.data);
  const shift = target.length - x.rank;
  const ok = shift >= 0 && x.shape.every((d, i) => d === 1 || d === target[shift + i]);
  return ok ? undefined : invalidInput('an impossible broadcast is reported by the cpu kernel');
}

function fillSource(size: number, value: number): GpuKernelSource {
  return kernelFunction('', [`return ${floatLiteral(value)};`], size);
}

/** A `dtype` tensor of `shape` holding `value` everywhere (shared by Fill, ZerosLike, OnesLike, FillLike). */
export function filled(dtype: DType, shape: readonly number[], value: number): NDArray {
  const v = dtype === 'bool' ? (value ? 1 : 0) : value;
  return runGpuKernel(
    `Fill|${dtype}[${shape.join(',')}]|${v}`,
    () => fillSource(shapeSize(shape), v),
    [],
    dtype,
    shape,
  );
}

function fillUnsupported(_inputs: readonly NDArray[], value: unknown): string | undefined {
  return typeof value === 'number' && Math.abs(value) > MAX_EXACT_FLOAT_INT && Number.isInteger(value)
    ? `fill value ${value} is beyond 2^24 and not exact in float32`
    : undefined;
}

export const dataMovementGpuKernels: OpKernelSpec[] = [
  defineGpuKernel({
    opType: 'Transpose',
    integerPolicy: 'exact-values',
    unsupported: transposeUnsupported,
    run: transposeKernel,
  }),
  defineGpuKernel({ opType: 'Tile', integerPolicy: 'exact-values', unsupported: tileUnsupported, run: tileKernel }),
  defineGpuKernel({
    opType: 'BroadcastTo',
    integerPolicy: 'exact-values',
    unsupported: broadcastToUnsupported,
    run: broadcastToKernel,
  }),
  defineGpuKernel({
    opType: 'Fill',
    integerPolicy: 'exact-values',
    unsupported: (inputs, op) => fillUnsupported(inputs, attrsOf<'Fill'>(op).value),
    run: (_inputs, ctx) => filled(ctx.attrs.dtype, ctx.attrs.shape, ctx.attrs.value),
  }),
  defineGpuKernel({
    opType: 'ZerosLike',
    integerPolicy: 'exact-values',
    run: (inputs) => filled(inputs[0]!.dtype, inputs[0]!.shape, 0),
  }),
  defineGpuKernel({
    opType: 'OnesLike',
    integerPolicy: 'exact-values',
    run: (inputs) => filled(inputs[0]!.dtype, inputs[0]!.shape, 1),
  }),
];
