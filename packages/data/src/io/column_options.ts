import { InvalidArgumentError } from '@tsflow/core';

/**
 * How Arrow/Parquet columns become tsflow values. Shared by the Arrow and Parquet sources.
 *
 * Nulls (the policy is documented in packages/data/README.md, "Nulls"):
 * - float columns (and float fixed-size lists): null → NaN;
 * - int and bool columns: an error naming the column and row, unless `nullValue` is given,
 *   which then replaces nulls (a number, or per column);
 * - strings, timestamps, dates, lists and other object columns: `null`;
 * - `validity`: also emit a bool `[n]` column `<name>_valid` (1 = present) for the named
 *   columns (or every column with `true`), so nulls stay visible after NaN/`nullValue` filling.
 */
export interface ColumnReadOptions {
  nullValue?: number | Readonly<Record<string, number>>;
  validity?: boolean | readonly string[];
}

/** Where values come from, for error messages: `ParquetSource: file 'a.parquet'`. */
export interface ColumnContext {
  readonly where: string;
  readonly options: ColumnReadOptions;
  /** Row number (in `where`'s terms) of the chunk's first row, so errors name the real row. */
  readonly firstRow?: number;
  /**
   * A row-level pass: 64-bit and uint32 integer columns keep their exact values (JS numbers, up
   * to 2^53) for the row objects instead of the int32 a batch holds.
   */
  readonly forRows?: boolean;
  /** A sink copies the source: chunks carry the Arrow RecordBatch itself (arrow_passthrough.ts). */
  readonly arrowOnly?: boolean;
}

/** Suffix of the validity mask column emitted for `validity`. */
export const VALIDITY_SUFFIX = '_valid';

export function nullValueFor(options: ColumnReadOptions, column: string): number | undefined {
  const { nullValue } = options;
  if (nullValue === undefined || typeof nullValue === 'number') return nullValue;
  return nullValue[column];
}

/** Whether a source may hand its Arrow batches over untouched (no option changes the values). */
export function valuesUnchanged(options: ColumnReadOptions): boolean {
  return options.nullValue === undefined && (options.validity === undefined || options.validity === false);
}

export function wantsValidity(options: ColumnReadOptions, column: string): boolean {
  const { validity } = options;
  if (validity === undefined || validity === false) return false;
  return validity === true || validity.includes(column);
}

/** Checks a source's `columns` (a non-empty array of names), `nullValue` and `validity` options. */
export function checkReadOptions(source: string, options: ColumnReadOptions & { readonly columns?: unknown }): void {
  const { columns, nullValue, validity } = options;
  if (columns !== undefined && !isNameList(columns, false)) {
    throw new InvalidArgumentError(
      `${source}: columns must be a non-empty array of column names, got ${JSON.stringify(columns)}`,
    );
  }
  const numbers =
    typeof nullValue === 'object' && nullValue !== null && !Array.isArray(nullValue)
      ? Object.values(nullValue)
      : [nullValue];
  if (nullValue !== undefined && !numbers.every((value) => typeof value === 'number')) {
    throw new InvalidArgumentError(
      `${source}: nullValue must be a number or an object of numbers by column, got ${JSON.stringify(nullValue)}`,
    );
  }
  if (validity !== undefined && typeof validity !== 'boolean' && !isNameList(validity, true)) {
    throw new InvalidArgumentError(
      `${source}: validity must be true, false or an array of column names, got ${JSON.stringify(validity)}`,
    );
  }
}

function isNameList(value: unknown, allowEmpty: boolean): boolean {
  return Array.isArray(value) && (allowEmpty || value.length > 0) && value.every((name) => typeof name === 'string');
}
