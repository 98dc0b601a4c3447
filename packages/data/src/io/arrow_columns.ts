import { InvalidArgumentError, NDArray, NotFoundError } from '@tsflow/core';
import { type Data, type RecordBatch, type Vector, Type, makeVector } from 'apache-arrow';
import type { ColumnarChunk, ColumnValue } from '../pipeline/stage.js';
import { type ColumnContext, VALIDITY_SUFFIX, wantsValidity } from './column_options.js';
import { isNumericType, isValid, numericColumn, validityMask } from './arrow_numeric.js';
import { arrowBatchChunk } from './arrow_passthrough.js';
import { decimalColumn } from './arrow_decimal.js';

/**
 * Arrow RecordBatch → ColumnarChunk. Numeric columns become NDArrays (by view where possible,
 * see arrow_numeric.ts); strings (plain or dictionary-encoded) → `string | null` arrays;
 * timestamps/dates → `Date | null`; decimals → numbers (arrow_decimal.ts); variable-length lists
 * → arrays of JS arrays; anything else (structs, binary) → the value Arrow itself gives, per row.
 */
export function recordBatchToChunk(batch: RecordBatch, ctx: ColumnContext, select?: readonly string[]): ColumnarChunk {
  const columns: Record<string, ColumnValue> = {};
  const fieldNames = batch.schema.fields.map((field) => field.name);
  const names = select ?? fieldNames;
  for (const name of names) {
    if (!fieldNames.includes(name)) {
      throw new NotFoundError(
        `${ctx.where}: column '${name}' does not exist; the columns are ${fieldNames.join(', ')}`,
      );
    }
  }
  if (ctx.arrowOnly) return arrowBatchChunk(select === undefined ? batch : batch.select([...select]));
  for (const name of names) {
    const index = fieldNames.indexOf(name);
    const data = batch.data.children[index]!;
    columns[name] = arrowColumn(data, name, ctx);
    if (wantsValidity(ctx.options, name)) {
      columns[name + VALIDITY_SUFFIX] = new NDArray('bool', [data.length], validityMask(data));
    }
  }
  return { numRows: batch.numRows, columns };
}

/** One Arrow column (a single Data chunk) as a tsflow column value. */
function arrowColumn(data: Data, column: string, ctx: ColumnContext): ColumnValue {
  if (isNumericType(data)) return numericColumn(data, column, ctx);
  switch (data.typeId) {
    case Type.Utf8:
    case Type.LargeUtf8:
      return utf8Column(data);
    case Type.Dictionary:
      return dictionaryColumn(data, column, ctx);
    case Type.Timestamp:
    case Type.Date:
      return dateColumn(data, column, ctx);
    case Type.List:
    case Type.LargeList:
      return listColumn(data, column, ctx);
    case Type.FixedSizeList:
      return fixedListOfObjects(data, column, ctx);
    case Type.Decimal:
      return decimalColumn(data);
    default:
      return genericColumn(data);
  }
}

const utf8Decoder = new TextDecoder();

function utf8Column(data: Data): (string | null)[] {
  const bytes = data.values as Uint8Array;
  return offsetColumn(data, (start, end) => (end === start ? '' : utf8Decoder.decode(bytes.subarray(start, end))));
}

/** One value per row of an offsets-encoded column (utf8, list): `cell(start, end)`, null for null rows. */
function offsetColumn<T>(data: Data, cell: (start: number, end: number) => T): (T | null)[] {
  const n = data.length;
  const offsets = data.valueOffsets as Int32Array | BigInt64Array;
  const out: (T | null)[] = new Array(n);
  const hasNulls = data.nullCount > 0 && data.nullBitmap !== undefined;
  for (let i = 0; i < n; i++) {
    out[i] =
      hasNulls && !isValid(data.nullBitmap!, data.offset, i)
        ? null
        : cell(Number(offsets[i]!), Number(offsets[i + 1]!));
  }
  return out;
}

/**
 * Decoded dictionary values, keyed by Arrow's dictionary vector: parquet readers reuse one
 * dictionary for every batch of a column chunk, so it is decoded once, not per batch.
 */
const dictionaryLookups = new WeakMap<Vector, ArrayLike<unknown>>();

function dictionaryColumn(data: Data, column: string, ctx: ColumnContext): unknown[] {
  const dictionary = data.dictionary!;
  let lookup = dictionaryLookups.get(dictionary);
  if (lookup === undefined) {
    const decoded =
      dictionary.data.length === 1 ? arrowColumn(dictionary.data[0]!, column, ctx) : genericValues(dictionary);
    lookup = decoded instanceof NDArray ? decoded.data : decoded;
    dictionaryLookups.set(dictionary, lookup);
  }
  const indices = data.values as ArrayLike<number | bigint>;
  const n = data.length;
  const out: unknown[] = new Array(n);
  const hasNulls = data.nullCount > 0 && data.nullBitmap !== undefined;
  for (let i = 0; i < n; i++) {
    out[i] = hasNulls && !isValid(data.nullBitmap!, data.offset, i) ? null : lookup[Number(indices[i]!)];
  }
  return out;
}

/**
 * Timestamps (any unit; timezone is metadata, the instant is what matters) and dates → Date.
 * An instant a Date can't hold (beyond ±8.64e15 ms) is refused by column and row, never an
 * Invalid Date.
 */
function dateColumn(data: Data, column: string, ctx: ColumnContext): (Date | null)[] {
  const n = data.length;
  const out: (Date | null)[] = new Array(n);
  const msPerUnit = millisecondsPerUnit(data);
  const vector = msPerUnit === undefined ? makeVector(data) : undefined;
  const raw = data.values as ArrayLike<number | bigint>;
  const stride = data.stride;
  const hasNulls = data.nullCount > 0 && data.nullBitmap !== undefined;
  for (let i = 0; i < n; i++) {
    if (hasNulls && !isValid(data.nullBitmap!, data.offset, i)) {
      out[i] = null;
      continue;
    }
    const date =
      msPerUnit === undefined ? new Date(vector!.get(i) as number) : new Date(Number(raw[i * stride]!) * msPerUnit);
    if (Number.isNaN(date.getTime()))
      throw instantOutOfRange(data, column, ctx, i, msPerUnit === undefined ? vector!.get(i) : raw[i * stride]);
    out[i] = date;
  }
  return out;
}

const UNIT_NAMES = ['seconds', 'milliseconds', 'microseconds', 'nanoseconds'];

function instantOutOfRange(
  data: Data,
  column: string,
  ctx: ColumnContext,
  row: number,
  stored: unknown,
): InvalidArgumentError {
  const unit =
    data.typeId === Type.Date
      ? data.values instanceof Int32Array
        ? 'days'
        : 'milliseconds'
      : UNIT_NAMES[(data.type as { unit?: number }).unit ?? 1];
  return new InvalidArgumentError(
    `${ctx.where}: column '${column}' row ${(ctx.firstRow ?? 0) + row} holds ${String(stored)} ${unit} since 1970-01-01, ` +
      `outside the range a JS Date can hold (years -271821 to 275760); drop the column with { columns } or fix the file`,
  );
}

/** Milliseconds per stored unit for 64-bit timestamps/dates and day dates; undefined → ask Arrow. */
function millisecondsPerUnit(data: Data): number | undefined {
  const type = data.type as { unit?: number };
  if (!(data.values instanceof BigInt64Array) && !(data.values instanceof Int32Array)) return undefined;
  if (data.typeId === Type.Date) return data.values instanceof Int32Array ? 86_400_000 : 1;
  if (!(data.values instanceof BigInt64Array)) return undefined;
  // TimeUnit: SECOND=0, MILLISECOND=1, MICROSECOND=2, NANOSECOND=3
  return [1000, 1, 1e-3, 1e-6][type.unit ?? 1];
}

/** Variable-length lists: one JS array per row (numbers, strings, …), null for a null list. */
function listColumn(data: Data, column: string, ctx: ColumnContext): (unknown[] | null)[] {
  const child = data.children[0]!;
  const flat = flatValues(child, column, ctx);
  return offsetColumn(data, (start, end) => Array.prototype.slice.call(flat, start, end) as unknown[]);
}

/**
 * A list's child values as one flat array-like. Numbers keep their source precision (a list
 * of doubles stays doubles: rows are JS arrays, not NDArrays); null numbers become null.
 */
function flatValues(child: Data, column: string, ctx: ColumnContext): ArrayLike<unknown> {
  const raw = child.values as unknown;
  const plainNumbers =
    (child.typeId === Type.Int || child.typeId === Type.Float) &&
    child.nullCount === 0 &&
    !(raw instanceof BigInt64Array || raw instanceof BigUint64Array || raw instanceof Uint16Array);
  if (plainNumbers) return raw as ArrayLike<number>;
  if (isNumericType(child)) return genericValues(makeVector(child));
  const values = arrowColumn(child, column, ctx);
  return values instanceof NDArray ? genericValues(makeVector(child)) : values;
}

/** Fixed-size lists of non-numeric values (strings, …): one JS array per row. */
function fixedListOfObjects(data: Data, column: string, ctx: ColumnContext): (unknown[] | null)[] {
  const size = (data.type as unknown as { listSize: number }).listSize;
  const flat = arrowColumn(data.children[0]!, column, ctx) as readonly unknown[];
  const out: (unknown[] | null)[] = new Array(data.length);
  for (let i = 0; i < data.length; i++) {
    out[i] =
      data.nullCount > 0 && data.nullBitmap && !isValid(data.nullBitmap, data.offset, i)
        ? null
        : flat.slice(i * size, (i + 1) * size);
  }
  return out;
}

function genericColumn(data: Data): unknown[] {
  return genericValues(makeVector(data));
}

/** Arrow's own per-row values, made plain: structs and maps → objects, int64 → number, nested lists → arrays. */
function genericValues(vector: Vector): unknown[] {
  const n = vector.length;
  const out: unknown[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = plainValue(vector.get(i) as unknown, 0);
  return out;
}

/** Deep enough for any real schema; a deeper value is left as Arrow gives it. */
const MAX_NESTING = 64;

function plainValue(value: unknown, depth: number): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value === null || typeof value !== 'object' || depth > MAX_NESTING || ArrayBuffer.isView(value)) return value;
  // A list inside a struct or map is an Arrow Vector: its rows, made plain in turn.
  if (isVector(value)) return Array.from({ length: value.length }, (_, i) => plainValue(value.get(i), depth + 1));
  // Arrow's StructRow/MapRow are proxies whose `in` sees only their fields: ask for toJSON itself.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    const json = (value as { toJSON(): unknown }).toJSON();
    if (json === null || typeof json !== 'object') return json;
    return Object.fromEntries(Object.entries(json).map(([key, inner]) => [key, plainValue(inner, depth + 1)]));
  }
  return value;
}

function isVector(value: object): value is Vector {
  return (
    'data' in value &&
    'type' in value &&
    typeof (value as Vector).get === 'function' &&
    typeof (value as Vector).length === 'number'
  );
}
