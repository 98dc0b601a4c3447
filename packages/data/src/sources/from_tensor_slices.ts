import { InvalidArgumentError, NDArray, ndarray, type NestedArray } from '@tsflow/core';
import type { ColumnValue, ColumnarChunk, Stage, StageIterator, StageState } from '../pipeline/stage.js';
import { DONE_RESULT } from '../pipeline/pull.js';
import { readCountUpTo } from '../pipeline/state_fields.js';
import { scalarRow } from '../pipeline/scalar_rows.js';
import { describe } from '../pipeline/stacking.js';
import { isTuple, markTuple } from '../pipeline/value_arrays.js';
import { IndexedStage } from '../pipeline/indexed_stage.js';
import { sliceColumns } from '../pipeline/columnar_batch.js';

/**
 * `Dataset.fromTensorSlices(value)`: slices along the first dimension. An NDArray gives its
 * rows (NDArray views; for a rank-1 array numbers / booleans, or rank-0 NDArrays for int32 so
 * that `batch` gives int32 back), value arrays (numbers / booleans, nested) are read as one
 * NDArray, string arrays give strings, an array of NDArrays / an object is sliced field by
 * field into tuples / objects (all fields must have the same length).
 */
export function tensorSlicesStage(value: unknown): Stage<unknown> {
  const { rows, slice } = slicer(value, 'value');
  const label = `FromTensorSlices(${rows})`;
  const columns = columnsOf(value);
  return columns === undefined
    ? new IndexedStage(rows, slice, label)
    : new ColumnSlicesStage(rows, slice, label, columns);
}

/** An object of NDArrays / string arrays: its fields are columns, so `batch` can slice them. */
function columnsOf(value: unknown): Record<string, ColumnValue> | undefined {
  if (
    value === null ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    value instanceof NDArray ||
    ArrayBuffer.isView(value)
  ) {
    return undefined;
  }
  const columns: Record<string, ColumnValue> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field instanceof NDArray && field.rank >= 1) columns[key] = field;
    else if (Array.isArray(field) && field.every((item) => typeof item === 'string')) columns[key] = field;
    else return undefined;
  }
  return columns;
}

/**
 * `fromTensorSlices` of an object of columns: rows as usual, plus the columnar path, so that
 * `fromTensorSlices({ x, y }).batch(32)` slices views of `x` and `y` without row objects.
 */
class ColumnSlicesStage extends IndexedStage<unknown> {
  constructor(
    private readonly rows: number,
    slice: (row: number) => unknown,
    label: string,
    private readonly columns: Readonly<Record<string, ColumnValue>>,
  ) {
    super(rows, slice, label);
  }

  openChunks(state?: StageState): StageIterator<ColumnarChunk> {
    let position = state === undefined ? 0 : readCountUpTo(state, 'position', this.label, this.rows, 'rows');
    const { rows, columns } = this;
    return {
      next: async () => {
        if (position >= rows) return DONE_RESULT;
        const start = position;
        position = rows;
        return {
          value: { numRows: rows - start, columns: start === 0 ? columns : sliceColumns(columns, start, rows) },
          done: false,
        };
      },
      saveState: () => ({ position }),
      close: async () => {
        position = rows;
      },
    };
  }
}

interface Slicer {
  rows: number;
  slice(row: number): unknown;
}

function slicer(value: unknown, path: string): Slicer {
  if (value instanceof NDArray) return ndarraySlicer(value, path);
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((item) => item instanceof NDArray)) return tupleSlicer(value, path);
    if (
      !isTuple(value) &&
      value.every((item) => typeof item === 'number' || typeof item === 'boolean' || Array.isArray(item))
    ) {
      return ndarraySlicer(ndarray(value as NestedArray), path);
    }
    return { rows: value.length, slice: (row) => value[row] };
  }
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    const keys = Object.keys(value);
    const fields = keys.map((key) => slicer((value as Record<string, unknown>)[key], `${path}.${key}`));
    const rows = checkSameRows(
      fields,
      keys.map((key) => `${path}.${key}`),
    );
    return {
      rows,
      slice: (row) => {
        const out: Record<string, unknown> = {};
        for (let i = 0; i < keys.length; i++) out[keys[i]!] = fields[i]!.slice(row);
        return out;
      },
    };
  }
  if (ArrayBuffer.isView(value)) return ndarraySlicer(ndarray(value as unknown as ArrayLike<number>), path);
  throw new InvalidArgumentError(`fromTensorSlices: cannot slice ${describe(value)} at ${path}`);
}

function ndarraySlicer(array: NDArray, path: string): Slicer {
  if (array.rank === 0)
    throw new InvalidArgumentError(`fromTensorSlices: ${path} is a scalar; slicing needs rank >= 1`);
  const rows = array.shape[0]!;
  const rowShape = array.shape.slice(1);
  const rowSize = rows === 0 ? 0 : array.size / rows;
  if (rowShape.length === 0) return { rows, slice: (row) => scalarRow(array, row) };
  return {
    rows,
    slice: (row) => new NDArray(array.dtype, rowShape, array.data.subarray(row * rowSize, (row + 1) * rowSize)),
  };
}

function tupleSlicer(items: readonly NDArray[], path: string): Slicer {
  const fields = items.map((item, i) => ndarraySlicer(item, `${path}[${i}]`));
  const rows = checkSameRows(
    fields,
    items.map((_, i) => `${path}[${i}]`),
  );
  return { rows, slice: (row) => markTuple(fields.map((field) => field.slice(row))) };
}

function checkSameRows(fields: readonly Slicer[], names: readonly string[]): number {
  if (fields.length === 0) return 0;
  const rows = fields[0]!.rows;
  for (let i = 1; i < fields.length; i++) {
    if (fields[i]!.rows !== rows) {
      throw new InvalidArgumentError(
        `fromTensorSlices: all fields need the same first dimension, but ${names[0]} has ${rows} and ${names[i]} has ${fields[i]!.rows}`,
      );
    }
  }
  return rows;
}
