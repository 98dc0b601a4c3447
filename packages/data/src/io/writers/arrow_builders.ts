import { InvalidArgumentError, NDArray } from '@tsflow/core';
import {
  Bool, type Data, type DataType, Field, FixedSizeList, Float32, Float64, Int32, List, TimestampMillisecond, Type, Utf8,
  makeData, vectorFromArray,
} from 'apache-arrow';

/**
 * JS/tsflow values → Arrow columns, for the sinks. The Arrow type of each column comes from
 * the first non-null value seen (or from `schema`):
 * NDArray float64/float32/int32/bool → Float64/Float32/Int32/Bool (no copy for whole columns);
 * JS number → Float64 (exact); boolean → Bool; string → Utf8; Date → Timestamp[ms];
 * a row's NDArray `[d]` (or a batch's `[n, d]`) → FixedSizeList<d>; JS arrays → List.
 * Values that don't fit the column's type raise an error naming the column and row.
 * @internal
 */

export function inferField(column: string, sample: unknown, fromBatch: boolean): Field {
  return new Field(column, inferType(column, sample, fromBatch), true);
}

function inferType(column: string, sample: unknown, fromBatch: boolean): DataType {
  if (sample instanceof NDArray) {
    const trailing = fromBatch ? sample.shape.slice(1) : sample.shape;
    let type: DataType = sample.dtype === 'float64' ? new Float64() : sample.dtype === 'float32' ? new Float32() : sample.dtype === 'int32' ? new Int32() : new Bool();
    for (let axis = trailing.length - 1; axis >= 0; axis--) type = new FixedSizeList(trailing[axis]!, new Field('item', type, true));
    return type;
  }
  if (typeof sample === 'number') return new Float64();
  if (typeof sample === 'boolean') return new Bool();
  if (typeof sample === 'string') return new Utf8();
  if (sample instanceof Date) return new TimestampMillisecond();
  if (Array.isArray(sample)) {
    const first = sample.find((item) => item !== null && item !== undefined);
    const itemType = first === undefined ? new Float64() : inferType(column, first, false);
    return new List(new Field('item', itemType, true));
  }
  throw new InvalidArgumentError(
    `column '${column}': can't store a value of type ${describe(sample)}; supported are numbers, booleans, strings, Dates, NDArrays and arrays of those`,
  );
}

/** A column of `length` rows from per-row values (row input). */
export function columnFromValues(field: Field, values: readonly unknown[], firstRow: number): Data {
  const { type, name } = field;
  const n = values.length;
  switch (type.typeId) {
    case Type.Float:
    case Type.Int:
    case Type.Bool: {
      const data = type.typeId === Type.Bool ? new Uint8Array(n) : (type as Float32).precision === 1 ? new Float32Array(n) : type.typeId === Type.Int ? new Int32Array(n) : new Float64Array(n);
      const validity = new Uint8Array((n + 7) >> 3);
      let nulls = 0;
      for (let i = 0; i < n; i++) {
        const value = values[i];
        if (value === null || value === undefined) {
          nulls++;
          continue;
        }
        validity[i >> 3]! |= 1 << (i & 7);
        if (type.typeId === Type.Bool) {
          if (typeof value !== 'boolean' && value !== 0 && value !== 1) throw misfit(name, firstRow + i, 'a boolean', value);
          data[i] = value ? 1 : 0;
        } else {
          if (typeof value !== 'number') throw misfit(name, firstRow + i, `a number (${String(type)})`, value);
          if (type.typeId === Type.Int && !(Number.isInteger(value) && value >= -2147483648 && value <= 2147483647)) {
            throw misfit(name, firstRow + i, 'an int32', value);
          }
          data[i] = value;
        }
      }
      const bits = type.typeId === Type.Bool ? packBits(data as Uint8Array) : data;
      return makeData({ type, length: n, nullCount: nulls, nullBitmap: nulls > 0 ? validity : undefined, data: bits } as never);
    }
    case Type.FixedSizeList:
      return fixedListFromRows(field, values, firstRow);
    default:
      return genericColumn(field, values, firstRow);
  }
}

/** A column from a batch's column (`[n]` / `[n, d]` NDArrays by view, arrays by value). */
export function columnFromBatch(field: Field, column: NDArray | readonly unknown[], firstRow: number): Data {
  if (!(column instanceof NDArray)) return columnFromValues(field, column, firstRow);
  const expected = inferType(field.name, column, true);
  if (String(expected) !== String(field.type)) {
    throw new InvalidArgumentError(`column '${field.name}': batch starting at row ${firstRow} has ${column.dtype}${JSON.stringify(column.shape)}, which doesn't fit the column's type ${String(field.type)}`);
  }
  return numericData(field.type, column.shape[0]!, column);
}

function numericData(type: DataType, length: number, array: NDArray): Data {
  if (type.typeId === Type.FixedSizeList) {
    const listType = type as FixedSizeList;
    const child = numericData(listType.children[0]!.type, length * listType.listSize, array);
    return makeData({ type: listType, length, nullCount: 0, child });
  }
  const data = type.typeId === Type.Bool ? packBits(array.data as Uint8Array) : array.data;
  return makeData({ type, length, nullCount: 0, data } as never);
}

function fixedListFromRows(field: Field, values: readonly unknown[], firstRow: number): Data {
  const type = field.type as FixedSizeList;
  let leafType: DataType = type;
  let width = 1;
  while (leafType.typeId === Type.FixedSizeList) {
    width *= (leafType as FixedSizeList).listSize;
    leafType = (leafType as FixedSizeList).children[0]!.type;
  }
  const n = values.length;
  const isDouble = leafType.typeId === Type.Float && (leafType as Float64).precision === 2;
  const flat = isDouble ? new Float64Array(n * width) : leafType.typeId === Type.Float ? new Float32Array(n * width) : leafType.typeId === Type.Int ? new Int32Array(n * width) : new Uint8Array(n * width);
  for (let i = 0; i < n; i++) {
    const value = values[i];
    const items = value instanceof NDArray ? value.data : Array.isArray(value) ? value : undefined;
    if (items === undefined || items.length !== width) {
      throw misfit(field.name, firstRow + i, `an NDArray or array of ${width} values (${String(type)})`, value);
    }
    flat.set(items as ArrayLike<number>, i * width);
  }
  const dtype = flat instanceof Float64Array ? 'float64' : flat instanceof Float32Array ? 'float32' : flat instanceof Int32Array ? 'int32' : 'bool';
  return numericData(type, n, new NDArray(dtype, [n * width], flat));
}

function genericColumn(field: Field, values: readonly unknown[], firstRow: number): Data {
  const { type, name } = field;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) continue;
    const ok =
      type.typeId === Type.Utf8 ? typeof value === 'string'
      : type.typeId === Type.Timestamp ? value instanceof Date || typeof value === 'number'
      : type.typeId === Type.List ? Array.isArray(value) || ArrayBuffer.isView(value)
      : true;
    if (!ok) throw misfit(name, firstRow + i, `a value of type ${String(type)}`, value);
  }
  const normalized = type.typeId === Type.List ? values.map((value) => (ArrayBuffer.isView(value) ? Array.from(value as unknown as ArrayLike<number>) : value ?? null)) : values.map((value) => value ?? null);
  return vectorFromArray(normalized, type).data[0]!;
}

/** Arrow booleans are bit-packed, least significant bit first. */
function packBits(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array((bytes.length + 7) >> 3);
  for (let i = 0; i < bytes.length; i++) if (bytes[i]) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

function misfit(column: string, row: number, expected: string, value: unknown): InvalidArgumentError {
  return new InvalidArgumentError(`column '${column}' row ${row}: expected ${expected}, got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (value instanceof NDArray) return `NDArray ${value.dtype}${JSON.stringify(value.shape)}`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (value === null) return 'null';
  return `${typeof value} ${String(value)}`;
}

