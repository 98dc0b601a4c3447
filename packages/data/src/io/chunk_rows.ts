import { NDArray } from '@tsflow/core';
import type { ColumnValue, ColumnarChunk } from '../pipeline/stage.js';
import { type RowFieldKind, rowPrototype } from '../pipeline/stacking.js';
import { sliceColumns } from '../pipeline/columnar_batch.js';
import { wideIntegerColumns } from './arrow_numeric.js';

/**
 * Per-row access to a columnar chunk, for the row-level `open()` of Arrow/Parquet sources.
 * Numbers come out as JS numbers (bools as booleans), `[n, d]` columns as `[d]` NDArray views
 * (so that `batch` stacks them back into `[n, d]`), other columns as their stored values.
 */
export class ChunkRows {
  private readonly names: string[];
  private readonly columns: ColumnValue[];
  /** Per column: the shape of one row of a rank ≥ 2 NDArray column (its cells are views), else undefined. */
  private readonly rowShapes: (number[] | undefined)[];
  /** Rows inherit their columns' kinds, so `batch` after row-level stages keeps int32 as int32. */
  private readonly prototype: object;

  constructor(readonly chunk: ColumnarChunk) {
    this.names = Object.keys(chunk.columns);
    this.columns = this.names.map((name) => chunk.columns[name]!);
    this.rowShapes = this.columns.map((column) =>
      column instanceof NDArray && column.rank > 1 ? column.shape.slice(1) : undefined,
    );
    const kinds: Record<string, RowFieldKind> = {};
    for (const name of this.names) {
      const column = chunk.columns[name]!;
      if (!(column instanceof NDArray)) kinds[name] = 'values';
      else if (wideIntegerColumns.has(column)) kinds[name] = 'int32';
      else if (column.rank === 1 && column.dtype !== 'bool') kinds[name] = column.dtype;
    }
    this.prototype = rowPrototype(kinds);
  }

  row(index: number): Record<string, unknown> {
    const row = Object.create(this.prototype) as Record<string, unknown>;
    for (let c = 0; c < this.names.length; c++)
      row[this.names[c]!] = cellOf(this.columns[c]!, index, this.rowShapes[c]);
    return row;
  }
}

function cellOf(column: ColumnValue, index: number, rowShape: number[] | undefined): unknown {
  if (!(column instanceof NDArray)) return column[index];
  if (rowShape === undefined) {
    const value = column.data[index]!;
    return column.dtype === 'bool' ? value !== 0 : value;
  }
  const width = column.size / column.shape[0]!;
  return new NDArray(column.dtype, rowShape, column.data.subarray(index * width, (index + 1) * width));
}

/** Rows `[start, end)` of a chunk, by view (NDArray subarrays, array slices of references). */
export function sliceChunk(chunk: ColumnarChunk, start: number, end: number): ColumnarChunk {
  if (start === 0 && end === chunk.numRows) return chunk;
  return { numRows: end - start, columns: sliceColumns(chunk.columns, start, end) };
}
