import { InvalidArgumentError, NDArray } from '@tsflow/core';
import { type Data, Type } from 'apache-arrow';
import { type ColumnContext, nullValueFor } from './column_options.js';

/**
 * Numeric Arrow data (ints, floats, bools and fixed-size lists of them) → NDArray, by view
 * where the Arrow buffer already has the NDArray's dtype and no nulls (float64, float32,
 * int32), otherwise by one typed-array conversion (float16 → float32, int8/16/64, uint →
 * int32 with a range check, bits → bool bytes).
 */

/** The row bit of a (possibly sliced) Arrow validity bitmap: 1 = present. */
export function isValid(bitmap: Uint8Array, offset: number, row: number): boolean {
  const bit = offset + row;
  return (bitmap[bit >> 3]! & (1 << (bit & 7))) !== 0;
}

/** True for the types `numericColumn` handles (possibly nested in fixed-size lists). */
export function isNumericType(data: Data): boolean {
  switch (data.typeId) {
    case Type.Int:
    case Type.Float:
    case Type.Bool:
      return true;
    case Type.FixedSizeList:
      return isNumericType(data.children[0]!);
    default:
      return false;
  }
}

/** `[n]` for scalars, `[n, d]` for fixed-size lists, `[n, d1, d2]` for nested ones. */
export function numericColumn(data: Data, column: string, ctx: ColumnContext): NDArray {
  if (ctx.forRows && isWideInteger(data)) return wideIntegerColumn(data, column, ctx);
  const trailing: number[] = [];
  let leaf = data;
  while (leaf.typeId === Type.FixedSizeList) {
    trailing.push((leaf.type as unknown as { listSize: number }).listSize);
    leaf = leaf.children[0]!;
  }
  const n = data.length;
  let values = leafValues(leaf, column, ctx);
  if (data !== leaf && data.nullCount > 0) values = fillNullLists(data, values, column, ctx);
  const dtype =
    values instanceof Float64Array ? 'float64' : values instanceof Float32Array ? 'float32' : leafDType(leaf);
  return new NDArray(dtype, [n, ...trailing], values);
}

function leafDType(leaf: Data): 'int32' | 'bool' {
  return leaf.typeId === Type.Bool ? 'bool' : 'int32';
}

function leafValues(
  leaf: Data,
  column: string,
  ctx: ColumnContext,
): Float64Array | Float32Array | Int32Array | Uint8Array {
  switch (leaf.typeId) {
    case Type.Float:
      return floatValues(leaf);
    case Type.Int:
      return intValues(leaf, column, ctx);
    case Type.Bool:
      return boolValues(leaf, column, ctx);
    default:
      throw new InvalidArgumentError(
        `${ctx.where}: column '${column}' has type ${String(leaf.type)}, which is not numeric`,
      );
  }
}

/** Doubles stay float64 and floats float32 (views without nulls); halves become float32. */
function floatValues(data: Data): Float64Array | Float32Array {
  const n = data.length;
  const source = data.values as Float32Array | Float64Array | Uint16Array;
  let out: Float64Array | Float32Array;
  if (source instanceof Float32Array || source instanceof Float64Array) {
    const view = source.length === n ? source : source.subarray(0, n);
    if (data.nullCount === 0) return view;
    out = view.slice();
  } else {
    out = halfToFloat32(source, n);
  }
  if (data.nullCount > 0 && data.nullBitmap) {
    const bitmap = data.nullBitmap;
    for (let i = 0; i < n; i++) if (!isValid(bitmap, data.offset, i)) out[i] = NaN;
  }
  return out;
}

function halfToFloat32(source: Uint16Array, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const h = source[i]!;
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    if (exponent === 0) out[i] = sign * 2 ** -14 * (fraction / 1024);
    else if (exponent === 31) out[i] = fraction ? NaN : sign * Infinity;
    else out[i] = sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
  }
  return out;
}

function intValues(data: Data, column: string, ctx: ColumnContext): Int32Array {
  const n = data.length;
  const source = data.values as ArrayBufferView & ArrayLike<number | bigint>;
  let out: Int32Array;
  if (source instanceof Int32Array) {
    const view = source.length === n ? source : source.subarray(0, n);
    if (data.nullCount === 0) return view;
    out = view.slice();
  } else if (source instanceof BigInt64Array || source instanceof BigUint64Array) {
    out = int64ToInt32(source, n, source instanceof BigUint64Array, data, column, ctx);
  } else if (source instanceof Uint32Array) {
    out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = source[i]!;
      if (v > 0x7fffffff && isPresent(data, i)) throw overflow(ctx, column, i, String(v));
      out[i] = v;
    }
  } else {
    out = new Int32Array(n);
    out.set((source as unknown as Int8Array).subarray(0, n));
  }
  if (data.nullCount > 0) fillNulls(data, out, column, ctx);
  return out;
}

/** int64 → int32 reading the two 32-bit halves: a value fits iff its high word is its low word's sign. */
function int64ToInt32(
  source: BigInt64Array | BigUint64Array,
  n: number,
  unsigned: boolean,
  data: Data,
  column: string,
  ctx: ColumnContext,
): Int32Array {
  const words = new Int32Array(source.buffer, source.byteOffset, n * 2);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const low = words[2 * i]!;
    const high = words[2 * i + 1]!;
    const fits = unsigned ? high === 0 && low >= 0 : high === low >> 31;
    if (!fits && isPresent(data, i)) throw overflow(ctx, column, i, String(source[i]));
    out[i] = low;
  }
  return out;
}

/**
 * Integer columns that int32 can't hold (int64, uint64, uint32), as the rows of a row-level
 * pass see them: exact JS numbers (up to 2^53) in a float64 array that `wideIntegerColumns`
 * marks, so rows still batch to int32 as the columnar path gives them. @internal
 */
export const wideIntegerColumns = new WeakSet<NDArray>();

function isWideInteger(data: Data): boolean {
  const values = data.values as unknown;
  return (
    data.typeId === Type.Int &&
    (values instanceof BigInt64Array || values instanceof BigUint64Array || values instanceof Uint32Array)
  );
}

function wideIntegerColumn(data: Data, column: string, ctx: ColumnContext): NDArray {
  const n = data.length;
  const source = data.values as BigInt64Array | BigUint64Array | Uint32Array;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const value = source[i]!;
    const number = Number(value);
    if (!Number.isSafeInteger(number) && isPresent(data, i)) {
      throw new InvalidArgumentError(
        `${ctx.where}: column '${column}' row ${(ctx.firstRow ?? 0) + i} holds ${String(value)}, beyond 2^53, which a JS number can't hold exactly; ` +
          `a copy straight from the source (ds.writeParquet with no stages in between) keeps it, or drop the column with { columns }`,
      );
    }
    out[i] = number;
  }
  if (data.nullCount > 0) fillNulls(data, out, column, ctx);
  const array = new NDArray('float64', [n], out);
  wideIntegerColumns.add(array);
  return array;
}

function isPresent(data: Data, row: number): boolean {
  return data.nullCount === 0 || !data.nullBitmap || isValid(data.nullBitmap, data.offset, row);
}

function overflow(ctx: ColumnContext, column: string, row: number, value: string): InvalidArgumentError {
  return new InvalidArgumentError(
    `${ctx.where}: column '${column}' row ${(ctx.firstRow ?? 0) + row} holds ${value}, which does not fit int32 (tsflow's integer dtype); ` +
      `cast the column to double when writing, or drop it with { columns }`,
  );
}

function boolValues(data: Data, column: string, ctx: ColumnContext): Uint8Array {
  const n = data.length;
  const bits = data.values as Uint8Array;
  const out = new Uint8Array(n);
  const offset = data.offset;
  for (let i = 0; i < n; i++) {
    const bit = offset + i;
    out[i] = (bits[bit >> 3]! >> (bit & 7)) & 1;
  }
  if (data.nullCount > 0) fillNulls(data, out, column, ctx);
  return out;
}

/** Int and bool nulls: `nullValue` if the caller chose one, else a clear error. */
function fillNulls(data: Data, out: Float64Array | Int32Array | Uint8Array, column: string, ctx: ColumnContext): void {
  const bitmap = data.nullBitmap;
  if (!bitmap) return;
  const replacement = nullValueFor(ctx.options, column);
  for (let i = 0; i < out.length; i++) {
    if (isValid(bitmap, data.offset, i)) continue;
    if (replacement === undefined) throw nullError(ctx, column, i, data);
    out[i] = replacement;
  }
}

function nullError(ctx: ColumnContext, column: string, row: number, data: Data): InvalidArgumentError {
  return new InvalidArgumentError(
    `${ctx.where}: column '${column}' (${String(data.type)}) has a null at row ${(ctx.firstRow ?? 0) + row}; ` +
      `integer and bool columns can't hold nulls: pass { nullValue } (optionally with { validity: ['${column}'] })`,
  );
}

/** A null fixed-size list row: NaN for floats; nullValue (or an error) for ints/bools. */
function fillNullLists<A extends Float64Array | Float32Array | Int32Array | Uint8Array>(
  data: Data,
  viewOrCopy: A,
  column: string,
  ctx: ColumnContext,
): A {
  const bitmap = data.nullBitmap;
  if (!bitmap) return viewOrCopy;
  // Values may still be a view of Arrow's buffer, which must never be written to.
  const values = viewOrCopy.slice() as A;
  const width = values.length / Math.max(1, data.length);
  const isFloat = values instanceof Float32Array || values instanceof Float64Array;
  const replacement = isFloat ? NaN : nullValueFor(ctx.options, column);
  for (let i = 0; i < data.length; i++) {
    if (isValid(bitmap, data.offset, i)) continue;
    if (replacement === undefined) throw nullError(ctx, column, i, data);
    values.fill(replacement, i * width, (i + 1) * width);
  }
  return values;
}

/** The validity of each row as bool bytes (1 = present). */
export function validityMask(data: Data): Uint8Array {
  const n = data.length;
  const out = new Uint8Array(n).fill(1);
  if (data.nullCount === 0 || !data.nullBitmap) return out;
  for (let i = 0; i < n; i++) if (!isValid(data.nullBitmap, data.offset, i)) out[i] = 0;
  return out;
}
