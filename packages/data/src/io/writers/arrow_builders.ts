import { InvalidArgumentError, NDArray } from '@tsflow/core';
import {
  type Data,
  type DataType,
  type Field,
  type FixedSizeList,
  Type,
  makeData,
  vectorFromArray,
} from 'apache-arrow';
import { misfit, ndarrayToData, numbersToData } from './numeric_builders.js';

/**
 * JS/tsflow values → Arrow column data of a given Field, for the sinks. The Field's type was
 * chosen before (schema_inference.ts); these functions only build and check:
 * NDArray float64/float32/int32/bool → Float64/Float32/Int32/Bool (no copy for whole columns);
 * JS number → Float64 (exact); bigint → Int64; boolean → Bool; string → Utf8;
 * Date → Timestamp[ms]; a row's NDArray `[d]` (or a batch's `[n, d]`) → FixedSizeList<d>;
 * JS arrays → List. Values that don't fit the column's type raise an error naming the column and row.
 * @internal
 */

/** A column of `values.length` rows from per-row values (row input). */
export function columnFromValues(field: Field, values: readonly unknown[], firstRow: number): Data {
  const { type, name } = field;
  switch (type.typeId) {
    case Type.Float:
    case Type.Int:
    case Type.Bool:
      return numbersToData(
        type,
        name,
        values.map((value) => (value instanceof NDArray && value.rank === 0 ? scalarOf(value) : value)),
        firstRow,
      );
    case Type.FixedSizeList:
      return fixedListFromRows(field, values, firstRow);
    case Type.Timestamp:
    case Type.Date:
      return datesToData(type, name, values, firstRow);
    default:
      return genericColumn(field, values, firstRow);
  }
}

/** A column from a batch's column (`[n]` / `[n, d]` NDArrays by view where the type matches, arrays by value). */
export function columnFromBatch(field: Field, column: NDArray | readonly unknown[], firstRow: number): Data {
  if (!(column instanceof NDArray)) return columnFromValues(field, column, firstRow);
  const { type } = field;
  const numeric =
    type.typeId === Type.Float ||
    type.typeId === Type.Int ||
    type.typeId === Type.Bool ||
    type.typeId === Type.FixedSizeList;
  if (!numeric || (type.typeId !== Type.FixedSizeList && column.rank !== 1)) {
    throw new InvalidArgumentError(
      `column '${field.name}': batch starting at row ${firstRow} has ${column.dtype}${JSON.stringify(column.shape)}, which doesn't fit the column's type ${String(type)}`,
    );
  }
  return ndarrayToData(type, field.name, column, firstRow);
}

function scalarOf(value: NDArray): number | boolean {
  return value.dtype === 'bool' ? value.data[0] !== 0 : value.data[0]!;
}

function fixedListFromRows(field: Field, values: readonly unknown[], firstRow: number): Data {
  const type = field.type as FixedSizeList;
  let width = 1;
  const shape: number[] = [];
  for (
    let leaf: DataType = type;
    leaf.typeId === Type.FixedSizeList;
    leaf = (leaf as FixedSizeList).children[0]!.type
  ) {
    width *= (leaf as FixedSizeList).listSize;
    shape.push((leaf as FixedSizeList).listSize);
  }
  const n = values.length;
  const flat = new Float64Array(n * width);
  for (let i = 0; i < n; i++) {
    const value = values[i];
    const items = value instanceof NDArray ? value.data : Array.isArray(value) ? value : undefined;
    if (items === undefined || items.length !== width) {
      throw misfit(field.name, firstRow + i, `an NDArray or array of ${width} values (${String(type)})`, value);
    }
    flat.set(items as ArrayLike<number>, i * width);
  }
  // Collected as doubles (exact for every numeric dtype), then converted and checked per value.
  return ndarrayToData(type, field.name, new NDArray('float64', [n, ...shape], flat), firstRow);
}

const MS_PER_UNIT = [1000, 1, 1e-3, 1e-6];

/** Dates (or epoch milliseconds) → Timestamp of any unit, Date32 (days) or Date64 (ms). */
function datesToData(type: DataType, column: string, values: readonly unknown[], firstRow: number): Data {
  const n = values.length;
  const validity = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  const days = type.typeId === Type.Date && (type as unknown as { unit: number }).unit === 0;
  const out = days ? new Int32Array(n) : new BigInt64Array(n);
  const msPerUnit = type.typeId === Type.Timestamp ? MS_PER_UNIT[(type as unknown as { unit: number }).unit]! : 1;
  for (let i = 0; i < n; i++) {
    const value = values[i];
    if (value === null || value === undefined) {
      nulls++;
      continue;
    }
    const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : NaN;
    if (!Number.isFinite(ms)) throw misfit(column, firstRow + i, `a Date (${String(type)})`, value);
    validity[i >> 3]! |= 1 << (i & 7);
    if (days) out[i] = Math.floor(ms / 86_400_000);
    else (out as BigInt64Array)[i] = BigInt(Math.round(ms / msPerUnit));
  }
  return makeData({
    type,
    length: n,
    nullCount: nulls,
    nullBitmap: nulls > 0 ? validity : undefined,
    data: out,
  } as never);
}

function genericColumn(field: Field, values: readonly unknown[], firstRow: number): Data {
  const { type, name } = field;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) continue;
    const ok =
      type.typeId === Type.Utf8 || type.typeId === Type.LargeUtf8
        ? typeof value === 'string'
        : type.typeId === Type.List
          ? Array.isArray(value) || ArrayBuffer.isView(value)
          : true;
    if (!ok) throw misfit(name, firstRow + i, `a value of type ${String(type)}`, value);
  }
  const normalized =
    type.typeId === Type.List
      ? values.map((value) =>
          ArrayBuffer.isView(value) ? Array.from(value as unknown as ArrayLike<number>) : (value ?? null),
        )
      : values.map((value) => value ?? null);
  return vectorFromArray(normalized, type).data[0]!;
}
