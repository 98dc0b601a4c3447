import { InvalidArgumentError, NDArray } from '@tsflow/core';
import { type Data, type Field, RecordBatch, Schema, Struct, makeData } from 'apache-arrow';
import { arrowBatchOf } from '../arrow_passthrough.js';
import { columnFromBatch, columnFromValues } from './arrow_builders.js';
import { type ColumnTypeSources, columnField, hasKnownType } from './schema_inference.js';

/** How sinks read elements: rows (objects of values) or batches (objects of columns). */
export type SinkInputMode = 'auto' | 'rows' | 'batches';

type Columns = Readonly<Record<string, NDArray | readonly unknown[]>>;

/**
 * Turns a stream of rows, columnar batches or untouched Arrow batches (a source copied as is)
 * into Arrow RecordBatches with one schema, holding at most `rowsPerBatch` buffered rows.
 * `auto` treats an element as a batch when it is a ColumnarChunk (`{ numRows, columns }`), or
 * when all its values are NDArrays/arrays of one common length with at least one rank ≥ 1
 * NDArray (what `batch(n)` produces); otherwise a row. It calls down only: column types from
 * schema_inference.ts once, column data from arrow_builders.ts per batch.
 * @internal
 */
export class RecordBatchAssembler {
  private schema: Schema | undefined;
  /** The schema's column names, for the per-row check. */
  private known: ReadonlySet<string> = new Set();
  private rows: Record<string, unknown>[] = [];
  private rowsSeen = 0;
  private mode: 'rows' | 'batches' | undefined;

  /** `sink` and `sizeOption` name the caller and the option `rowsPerBatch` came from, for errors. */
  constructor(
    private readonly rowsPerBatch: number,
    private readonly inputMode: SinkInputMode = 'auto',
    private readonly sink = 'sink',
    sizeOption = 'rowsPerBatch',
    private readonly types: ColumnTypeSources = {},
  ) {
    if (!Number.isInteger(rowsPerBatch) || rowsPerBatch <= 0)
      throw new InvalidArgumentError(`${sink}: ${sizeOption} must be a positive integer, got ${rowsPerBatch}`);
    if (!INPUT_MODES.includes(inputMode))
      throw new InvalidArgumentError(
        `${sink}: input must be 'auto', 'rows' or 'batches', got ${JSON.stringify(inputMode)}`,
      );
  }

  /** Adds one element; returns the RecordBatches it completed (zero or more). */
  add(input: unknown): RecordBatch[] {
    if (input === null || input === undefined || typeof input === 'function' || typeof input === 'symbol') {
      throw new InvalidArgumentError(
        `element ${this.rowsSeen + this.rows.length}: sinks write objects keyed by column, numbers, strings, booleans, Dates, arrays or NDArrays; got ${String(input)}`,
      );
    }
    const arrow = arrowBatchOf(input);
    if (arrow !== undefined) return [this.fromArrow(arrow)];
    // A dataset of plain values (numbers, NDArrays, ...) is written as one column, `value`.
    const element = isRecord(input) ? input : { [VALUE_COLUMN]: input };
    this.mode ??= this.inputMode !== 'auto' ? this.inputMode : looksLikeBatch(element) ? 'batches' : 'rows';
    if (this.mode === 'batches') return [this.fromBatch(columnsOf(element))];
    this.rows.push(element as Record<string, unknown>);
    return this.rows.length >= this.rowsPerBatch ? [this.flushRows()] : [];
  }

  /** The last, partial batch (if any). */
  finish(): RecordBatch[] {
    return this.rows.length > 0 ? [this.flushRows()] : [];
  }

  /** A source's own batch, written as is; every batch must have the first one's schema. */
  private fromArrow(batch: RecordBatch): RecordBatch {
    if (this.schema === undefined) this.setSchema(batch.schema);
    else if (!sameSchema(this.schema, batch.schema)) {
      throw new InvalidArgumentError(
        `${this.sink}: the record batch at row ${this.rowsSeen} has schema ${describeSchema(batch.schema)}, not ${describeSchema(this.schema)}`,
      );
    }
    this.rowsSeen += batch.numRows;
    return batch;
  }

  private fromBatch(columns: Columns): RecordBatch {
    const names = Object.keys(columns);
    const length = lengthOf(columns, names, this.rowsSeen);
    if (this.schema === undefined)
      this.setSchema(new Schema(names.map((name) => columnField(name, sampleOf(columns[name]!), true, this.types))));
    this.checkNames(names, this.rowsSeen);
    const children = this.schema!.fields.map((field) => {
      const column = columns[field.name];
      if (column === undefined)
        throw new InvalidArgumentError(`batch at row ${this.rowsSeen} has no column '${field.name}'`);
      return columnFromBatch(field, column, this.rowsSeen);
    });
    this.rowsSeen += length;
    return this.recordBatch(children, length);
  }

  private flushRows(): RecordBatch {
    const rows = this.rows;
    this.rows = [];
    if (this.schema === undefined) {
      const names = Object.keys(rows[0]!);
      this.setSchema(
        new Schema(names.map((name) => columnField(name, this.firstPresent(rows, name), false, this.types))),
      );
    }
    for (let i = 0; i < rows.length; i++) this.checkNames(Object.keys(rows[i]!), this.rowsSeen + i);
    const children = this.schema!.fields.map((field) =>
      columnFromValues(
        field,
        rows.map((row) => row[field.name]),
        this.rowsSeen,
      ),
    );
    this.rowsSeen += rows.length;
    return this.recordBatch(children, rows.length);
  }

  private recordBatch(children: Data[], length: number): RecordBatch {
    const schema = this.schema!;
    return new RecordBatch(
      schema,
      makeData({ type: new Struct(schema.fields as Field[]), length, nullCount: 0, children }),
    );
  }

  private setSchema(schema: Schema): void {
    for (const name of this.types.stated?.keys() ?? []) {
      if (!schema.fields.some((field) => field.name === name)) {
        throw new InvalidArgumentError(
          `${this.sink}: schema names column '${name}', which the data does not have; its columns are ${schema.fields.map((f) => f.name).join(', ')}`,
        );
      }
    }
    this.schema = schema;
    this.known = new Set(schema.fields.map((field) => field.name));
  }

  private checkNames(names: readonly string[], row: number): void {
    for (const name of names) {
      if (!this.known.has(name))
        throw new InvalidArgumentError(
          `row ${row} has column '${name}', which is not in the schema taken from the first rows (${[...this.known].join(', ')})`,
        );
    }
  }

  private firstPresent(rows: readonly Record<string, unknown>[], name: string): unknown {
    for (const row of rows) {
      const value = row[name];
      if (value !== null && value !== undefined) return value;
    }
    // An all-null start is fine when the type is known anyway.
    if (hasKnownType(name, this.types)) return null;
    throw new InvalidArgumentError(
      `column '${name}' is null in all of the first ${rows.length} rows, so its type can't be inferred; state it with { schema: { ${name}: 'float64' } } (or another type)`,
    );
  }
}

const INPUT_MODES: readonly SinkInputMode[] = ['auto', 'rows', 'batches'];

/** The column that holds the elements of a dataset of plain values. */
const VALUE_COLUMN = 'value';

function isRecord(value: unknown): value is object {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof NDArray) &&
    !(value instanceof Date) &&
    !ArrayBuffer.isView(value)
  );
}

function looksLikeBatch(element: object): boolean {
  if ('numRows' in element && 'columns' in element) return true;
  const values = Object.values(element);
  if (values.length === 0) return false;
  let length: number | undefined;
  let sawMatrixOrVector = false;
  for (const value of values) {
    const rows = value instanceof NDArray ? value.shape[0] : Array.isArray(value) ? value.length : undefined;
    if (rows === undefined) return false;
    if (length !== undefined && rows !== length) return false;
    length = rows;
    if (value instanceof NDArray && value.rank >= 1) sawMatrixOrVector = true;
  }
  return sawMatrixOrVector;
}

function columnsOf(element: object): Columns {
  return 'numRows' in element && 'columns' in element
    ? (element as { columns: Columns }).columns
    : (element as Columns);
}

function lengthOf(columns: Columns, names: readonly string[], row: number): number {
  let length: number | undefined;
  for (const name of names) {
    const column = columns[name]!;
    const rows = column instanceof NDArray ? column.shape[0] : Array.isArray(column) ? column.length : undefined;
    if (rows === undefined)
      throw new InvalidArgumentError(`batch at row ${row}: column '${name}' is neither an NDArray nor an array`);
    if (length !== undefined && rows !== length) {
      throw new InvalidArgumentError(
        `batch at row ${row}: column '${name}' has ${rows} rows but '${names[0]}' has ${length}`,
      );
    }
    length = rows;
  }
  return length ?? 0;
}

function sampleOf(column: NDArray | readonly unknown[]): unknown {
  if (column instanceof NDArray) return column;
  return column.find((value) => value !== null && value !== undefined);
}

function sameSchema(a: Schema, b: Schema): boolean {
  return (
    a.fields.length === b.fields.length &&
    a.fields.every((field, i) => field.name === b.fields[i]!.name && String(field.type) === String(b.fields[i]!.type))
  );
}

function describeSchema(schema: Schema): string {
  return `(${schema.fields.map((field) => `${field.name}: ${String(field.type)}`).join(', ')})`;
}
