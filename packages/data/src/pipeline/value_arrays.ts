import { NDArray } from '@tsflow/core';

/*
 * Values and structures (API.md, @tsflow/data): a plain array whose items are all numbers or
 * all booleans, or equal-shaped arrays of them (nested), is a VALUE — one tensor, batched by
 * stacking into [n, ...shape] like an NDArray. The arrays that `Dataset.zip([...])` and
 * `enumerate()` yield are TUPLES: each position is batched on its own. Plain JS has no tuple
 * type, so those arrays carry a hidden (non-enumerable) mark. The mark is a registered symbol so
 * that two copies of this module (src/ under vitest and dist/ in a map worker) agree on it.
 */

/** Hidden mark of a tuple array. @internal */
export const TUPLE_MARK: unique symbol = Symbol.for('tsflow.tuple') as never;

/** Marks `items` as a tuple (batched position by position) and returns it. @internal */
export function markTuple<T extends unknown[]>(items: T): T {
  Object.defineProperty(items, TUPLE_MARK, { value: true, enumerable: false });
  return items;
}

/** Whether `value` is an array marked as a tuple by zip / enumerate / a tuple-splitting stage. @internal */
export function isTuple(value: unknown): boolean {
  return Array.isArray(value) && (value as { [TUPLE_MARK]?: boolean })[TUPLE_MARK] === true;
}

/** The dtype and shape of a value array. @internal */
export interface ValueArrayInfo {
  dtype: 'float32' | 'bool';
  shape: number[];
}

/**
 * The dtype and shape of `value` when it is a value array (see above), else undefined. An empty
 * array is a float32 value of shape [0], as tf.data reads `[]`.
 * @internal
 */
export function valueArrayInfo(value: unknown): ValueArrayInfo | undefined {
  if (!Array.isArray(value) || isTuple(value)) return undefined;
  if (value.length === 0) return { dtype: 'float32', shape: [0] };
  const first: unknown = value[0];
  if (typeof first === 'number' || typeof first === 'boolean') {
    const kind = typeof first;
    for (let i = 1; i < value.length; i++) if (typeof value[i] !== kind) return undefined;
    return { dtype: kind === 'number' ? 'float32' : 'bool', shape: [value.length] };
  }
  const inner = valueArrayInfo(first);
  if (inner === undefined) return undefined;
  for (let i = 1; i < value.length; i++) {
    const item = valueArrayInfo(value[i]);
    if (item === undefined || item.dtype !== inner.dtype || !sameShape(item.shape, inner.shape)) return undefined;
  }
  return { dtype: inner.dtype, shape: [value.length, ...inner.shape] };
}

/** Whether `value` is a value array. @internal */
export function isValueArray(value: unknown): boolean {
  return valueArrayInfo(value) !== undefined;
}

/** Writes the numbers (booleans as 0/1) of a value array into `out` from `offset`, row-major; returns the next offset. @internal */
export function flattenValueArray(value: unknown, out: Float32Array | Uint8Array, offset: number): number {
  const items = value as unknown[];
  if (items.length > 0 && Array.isArray(items[0])) {
    for (const item of items) offset = flattenValueArray(item, out, offset);
    return offset;
  }
  for (const item of items) out[offset++] = item === true ? 1 : item === false ? 0 : (item as number);
  return offset;
}

/** A value array as an NDArray (float32 for numbers, bool for booleans). @internal */
export function valueArrayToNDArray(value: unknown, info: ValueArrayInfo): NDArray {
  const size = info.shape.reduce((product, dim) => product * dim, 1);
  const data = info.dtype === 'bool' ? new Uint8Array(size) : new Float32Array(size);
  flattenValueArray(value, data, 0);
  return new NDArray(info.dtype, info.shape, data);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
