import { allocTypedArray, type DType, type TypedArray } from '../../dtype.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { shapeSize } from '../../ndarray/shape.js';
import type { KernelContext } from '../../kernel_registry.js';

/*
 * How cpu kernels get their arrays. Inside a Session the plan's arena hands out memory that later
 * runs reuse (nothing is allocated in steady state); a kernel called on its own gets fresh arrays.
 * Contents are unspecified unless the name says zeroed: a kernel must write every element.
 */

/** A `length`-element array of `dtype`, contents unspecified. */
export function outputData(ctx: KernelContext, dtype: DType, length: number): TypedArray {
  return ctx.memory ? (ctx.memory.array(dtype, length) as TypedArray) : allocTypedArray(dtype, length);
}

/** An output NDArray of `shape`, contents unspecified (the kernel writes every element). */
export function outputArray(ctx: KernelContext, dtype: DType, shape: readonly number[]): NDArray {
  return new NDArray(dtype, shape, outputData(ctx, dtype, shapeSize(shape)));
}

/** An output NDArray of `shape` filled with zeros (for kernels that accumulate into it). */
export function zeroedOutput(ctx: KernelContext, dtype: DType, shape: readonly number[]): NDArray {
  const out = outputArray(ctx, dtype, shape);
  if (ctx.memory) out.data.fill(0);
  return out;
}

/** Float32 scratch for the duration of one kernel call, contents unspecified. */
export function scratchFloat32(ctx: KernelContext, length: number): Float32Array {
  return ctx.memory ? (ctx.memory.array('float32', length) as Float32Array) : new Float32Array(length);
}

/** Zeroed float64 scratch (accumulators) for the duration of one kernel call. */
export function zeroedFloat64(ctx: KernelContext, length: number): Float64Array {
  if (!ctx.memory) return new Float64Array(length);
  const scratch = ctx.memory.array('float64', length) as Float64Array;
  scratch.fill(0);
  return scratch;
}

/**
 * `build()`'s result for these inputs' shapes, kept in the plan step's cache: a kernel whose
 * inputs keep their shapes run after run (a training step) plans its loops once.
 */
export function cachedByShapes<T>(ctx: KernelContext, inputs: readonly NDArray[], build: () => T): T {
  const cache = ctx.stepCache;
  if (cache === undefined) return build();
  const shapes = cache.shapes;
  if (shapes !== null && shapes.length === inputs.length && inputs.every((x, i) => sameShape(x.shape, shapes[i]!)))
    return cache.value as T;
  const value = build();
  cache.shapes = inputs.map((x) => x.shape);
  cache.value = value;
  return value;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
