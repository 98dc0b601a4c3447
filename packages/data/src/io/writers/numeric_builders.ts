import { InvalidArgumentError, NDArray } from '@tsflow/core';
import { type Data, type DataType, type FixedSizeList, type Float32, Type, makeData } from 'apache-arrow';

/**
 * Numbers → Arrow numeric and bool columns of a given type, for the sinks. Every value is
 * checked against the type (an int64 column takes integers up to 2^53 as numbers and any int64
 * as a bigint; int8..uint32 their ranges; a float column any number), and one that doesn't fit
 * is an error naming the column and row. A batch's NDArray whose dtype is the column's own
 * (float64, float32, int32, bool) is used by view. @internal
 */

type NumericArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint32Array
  | Uint16Array
  | Uint8Array;

/** A column of row values (nulls allowed: `null`/`undefined` clear the validity bit). */
export function numbersToData(type: DataType, column: string, values: readonly unknown[], firstRow: number): Data {
  const n = values.length;
  let nulls = 0;
  for (let i = 0; i < n; i++) if (values[i] === null || values[i] === undefined) nulls++;
  if (nulls === 0)
    return makeData({ type, length: n, nullCount: 0, data: leafBuffer(type, column, values, firstRow, 1) } as never);
  const validity = new Uint8Array((n + 7) >> 3);
  const present: unknown[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const value = values[i];
    if (value === null || value === undefined) {
      present[i] = type.typeId === Type.Bool ? false : 0;
    } else {
      validity[i >> 3]! |= 1 << (i & 7);
      present[i] = value;
    }
  }
  const data = leafBuffer(type, column, present, firstRow, 1);
  return makeData({ type, length: n, nullCount: nulls, nullBitmap: validity, data } as never);
}

/** A column from a batch's NDArray (`[n]`, or `[n, d, ...]` for fixed-size lists). */
export function ndarrayToData(type: DataType, column: string, array: NDArray, firstRow: number): Data {
  const length = array.shape[0] ?? 0;
  if (type.typeId === Type.FixedSizeList) {
    const listType = type as FixedSizeList;
    if (array.shape[1] !== listType.listSize) {
      throw new InvalidArgumentError(
        `column '${column}': batch at row ${firstRow} has shape ${JSON.stringify(array.shape)}, which doesn't fit the column's type ${String(type)}`,
      );
    }
    const items = new NDArray(array.dtype, [length * listType.listSize, ...array.shape.slice(2)], array.data);
    return makeData({
      type: listType,
      length,
      nullCount: 0,
      child: ndarrayToData(listType.children[0]!.type, column, items, firstRow),
    });
  }
  const data =
    ownView(type, array) ??
    leafBuffer(
      type,
      column,
      array.dtype === 'bool' ? Array.from(array.data, (b) => b !== 0) : array.data,
      firstRow,
      array.size / Math.max(1, length),
    );
  return makeData({ type, length: array.size, nullCount: 0, data } as never);
}

/** The NDArray's own buffer when it already is the column's physical type. */
function ownView(type: DataType, array: NDArray): NumericArray | undefined {
  if (type.typeId === Type.Bool) return array.dtype === 'bool' ? packBits(array.data as Uint8Array) : undefined;
  if (type.typeId === Type.Float) {
    const precision = (type as Float32).precision;
    if (precision === 2 && array.dtype === 'float64') return array.data as Float64Array;
    if (precision === 1 && array.dtype === 'float32') return array.data as Float32Array;
    return undefined;
  }
  const int = type as unknown as { bitWidth: number; isSigned: boolean };
  return int.bitWidth === 32 && int.isSigned && array.dtype === 'int32' ? (array.data as Int32Array) : undefined;
}

/** The value buffer of a numeric/bool column; `width` values make one row (for error messages). */
function leafBuffer(
  type: DataType,
  column: string,
  values: ArrayLike<unknown>,
  firstRow: number,
  width: number,
): NumericArray | BigInt64Array | BigUint64Array {
  const n = values.length;
  const rowOf = (i: number) => firstRow + Math.floor(i / width);
  switch (type.typeId) {
    case Type.Bool: {
      const bytes = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const value = values[i];
        if (typeof value !== 'boolean' && value !== 0 && value !== 1)
          throw misfit(column, rowOf(i), 'a boolean', value);
        bytes[i] = value ? 1 : 0;
      }
      return packBits(bytes);
    }
    case Type.Float: {
      const out = (type as Float32).precision === 2 ? new Float64Array(n) : new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const value = values[i];
        if (typeof value === 'number') out[i] = value;
        else if (typeof value === 'bigint' && Number.isSafeInteger(Number(value))) out[i] = Number(value);
        else throw misfit(column, rowOf(i), `a number (${String(type)})`, value);
      }
      return out;
    }
    case Type.Int: {
      const { bitWidth, isSigned } = type as unknown as { bitWidth: number; isSigned: boolean };
      return bitWidth === 64
        ? int64Buffer(isSigned, column, values, rowOf)
        : smallIntBuffer(bitWidth, isSigned, column, values, rowOf);
    }
    default:
      throw new InvalidArgumentError(`column '${column}': ${String(type)} is not a numeric type`);
  }
}

const SMALL_INTS = {
  '8s': [Int8Array, -128, 127],
  '16s': [Int16Array, -32768, 32767],
  '32s': [Int32Array, -2147483648, 2147483647],
  '8u': [Uint8Array, 0, 255],
  '16u': [Uint16Array, 0, 65535],
  '32u': [Uint32Array, 0, 4294967295],
} as const;

function smallIntBuffer(
  bitWidth: number,
  signed: boolean,
  column: string,
  values: ArrayLike<unknown>,
  rowOf: (i: number) => number,
): NumericArray {
  const [Ctor, min, max] = SMALL_INTS[`${bitWidth}${signed ? 's' : 'u'}` as keyof typeof SMALL_INTS];
  const out = new Ctor(values.length);
  for (let i = 0; i < values.length; i++) {
    const raw = values[i];
    const value = typeof raw === 'bigint' ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw misfit(column, rowOf(i), `an integer from ${min} to ${max} (${signed ? '' : 'u'}int${bitWidth})`, raw);
    }
    out[i] = value;
  }
  return out;
}

const TWO_32 = 4294967296;

/** int64/uint64 from numbers (exact integers up to 2^53, written by their 32-bit words) or bigints. */
function int64Buffer(
  signed: boolean,
  column: string,
  values: ArrayLike<unknown>,
  rowOf: (i: number) => number,
): BigInt64Array | BigUint64Array {
  const n = values.length;
  const out = signed ? new BigInt64Array(n) : new BigUint64Array(n);
  const words = new Int32Array(out.buffer);
  for (let i = 0; i < n; i++) {
    const value = values[i];
    if (typeof value === 'number' && Number.isSafeInteger(value) && (signed || value >= 0)) {
      words[2 * i] = value >>> 0;
      words[2 * i + 1] = Math.floor(value / TWO_32);
    } else if (typeof value === 'bigint' && BigInt.asIntN(64, value) === value && (signed || value >= 0n)) {
      out[i] = value;
    } else if (typeof value === 'bigint' && !signed && BigInt.asUintN(64, value) === value) {
      out[i] = value;
    } else {
      const expected = signed
        ? 'an int64 (an integer number up to 2^53, or a bigint)'
        : 'a uint64 (a non-negative integer number up to 2^53, or a bigint)';
      throw misfit(column, rowOf(i), expected, value);
    }
  }
  return out;
}

/** Arrow booleans are bit-packed, least significant bit first. */
export function packBits(bytes: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array((bytes.length + 7) >> 3);
  for (let i = 0; i < bytes.length; i++) if (bytes[i]) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

/** `column 'x' row 2: expected an int64 (...), got number 2.5`. */
export function misfit(column: string, row: number, expected: string, value: unknown): InvalidArgumentError {
  return new InvalidArgumentError(`column '${column}' row ${row}: expected ${expected}, got ${describeValue(value)}`);
}

export function describeValue(value: unknown): string {
  if (value instanceof NDArray) return `NDArray ${value.dtype}${JSON.stringify(value.shape)}`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (value === null) return 'null';
  if (typeof value === 'bigint') return `bigint ${value}n`;
  return `${typeof value} ${String(value)}`;
}
