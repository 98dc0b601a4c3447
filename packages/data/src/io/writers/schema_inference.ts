import { InvalidArgumentError, NDArray } from '@tsflow/core';
import {
  Bool,
  type DataType,
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int32,
  Int64,
  List,
  TimestampMillisecond,
  Utf8,
} from 'apache-arrow';
import { inheritedType } from './column_types.js';
import { describeValue } from './numeric_builders.js';

/**
 * Which Arrow type each output column of a sink gets. The sink path runs one way:
 * RecordBatchAssembler asks this module for a column's Field once (when the schema is fixed),
 * then hands values and that Field to arrow_builders.ts for every batch; neither module calls
 * back into the assembler. @internal
 */

/** Where a sink's column types come from besides the values: the `schema` option and the source file. @internal */
export interface ColumnTypeSources {
  /** Types the user stated (`schema` option): always used, every value checked against them. */
  stated?: ReadonlyMap<string, DataType>;
  /** Types of the source file's columns: kept when the first value fits them. */
  inherited?: ReadonlyMap<string, DataType>;
}

/**
 * A column's Field: its stated type, else the source file's type if `sample` fits it, else one
 * inferred from `sample` (the first non-null value; for a batch column, the column itself).
 */
export function columnField(name: string, sample: unknown, fromBatch: boolean, sources: ColumnTypeSources): Field {
  const type =
    sources.stated?.get(name) ??
    inheritedType(sources.inherited?.get(name), sample, fromBatch) ??
    inferType(name, sample, fromBatch);
  return new Field(name, type, true);
}

/** Whether a column whose first rows are all null still has a type (stated or from the source file). */
export function hasKnownType(name: string, sources: ColumnTypeSources): boolean {
  return sources.stated?.has(name) === true || sources.inherited?.has(name) === true;
}

/**
 * The type a value implies: NDArray float64/float32/int32/bool → Float64/Float32/Int32/Bool
 * (a row's `[d]` or a batch's `[n, d]` → FixedSizeList<d>), number → Float64, bigint → Int64,
 * boolean → Bool, string → Utf8, Date → Timestamp[ms], array → List of its first item's type.
 */
function inferType(column: string, sample: unknown, fromBatch: boolean): DataType {
  if (sample instanceof NDArray) {
    const trailing = fromBatch ? sample.shape.slice(1) : sample.shape;
    let type: DataType =
      sample.dtype === 'float64'
        ? new Float64()
        : sample.dtype === 'float32'
          ? new Float32()
          : sample.dtype === 'int32'
            ? new Int32()
            : new Bool();
    for (let axis = trailing.length - 1; axis >= 0; axis--)
      type = new FixedSizeList(trailing[axis]!, new Field('item', type, true));
    return type;
  }
  if (typeof sample === 'number') return new Float64();
  if (typeof sample === 'bigint') return new Int64();
  if (typeof sample === 'boolean') return new Bool();
  if (typeof sample === 'string') return new Utf8();
  if (sample instanceof Date) return new TimestampMillisecond();
  if (Array.isArray(sample)) {
    const first = sample.find((item) => item !== null && item !== undefined);
    const itemType = first === undefined ? new Float64() : inferType(column, first, false);
    return new List(new Field('item', itemType, true));
  }
  throw new InvalidArgumentError(
    `column '${column}': can't store a value of type ${describeValue(sample)}; supported are numbers, bigints, booleans, strings, Dates, NDArrays and arrays of those`,
  );
}
