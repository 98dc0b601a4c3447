import { InvalidArgumentError, NDArray } from '@tsflow/core';
import type { ColumnValue, ColumnarChunk } from '../pipeline/stage.js';
import { type ColumnContext, VALIDITY_SUFFIX, nullValueFor, wantsValidity } from './column_options.js';

/** What a column decoded by a pure-JS engine holds, from its Parquet schema. @internal */
export type JsColumnKind = 'double' | 'float' | 'int' | 'bool' | 'other';

/**
 * The kind of a top-level Parquet column from its physical type and its annotation (the logical
 * type's name, e.g. `INTEGER`, or else the converted type, e.g. `UINT_8`, `UTF8`). @internal
 */
export function jsColumnKind(
  physical: string | undefined,
  annotation: string | undefined,
  isGroup: boolean,
): JsColumnKind {
  if (isGroup) return 'other';
  const plainInt = annotation === undefined || annotation === 'INTEGER' || /^U?INT_/.test(annotation);
  if ((physical === 'INT32' || physical === 'INT64') && plainInt) return 'int';
  if (annotation !== undefined) return 'other';
  if (physical === 'DOUBLE') return 'double';
  if (physical === 'FLOAT') return 'float';
  if (physical === 'BOOLEAN') return 'bool';
  return 'other';
}

/**
 * Rows decoded to JS values, one array per column → a chunk: tsflow columns (`jsColumn`) and
 * the `<name>_valid` masks asked for.
 * @internal
 */
export function jsChunk(
  raw: Readonly<Record<string, ArrayLike<unknown>>>,
  kinds: Readonly<Record<string, JsColumnKind>>,
  columns: readonly string[],
  numRows: number,
  ctx: ColumnContext,
): ColumnarChunk {
  const converted: Record<string, ColumnValue> = {};
  for (const column of columns) converted[column] = jsColumn(raw[column]!, kinds[column]!, column, ctx);
  addValidityColumns(converted, raw, ctx);
  return { numRows, columns: converted };
}

/**
 * A column decoded to JS values (hyparquet, parquetjs-lite) → a tsflow column, with the same
 * null policy as Arrow columns (column_options.ts): doubles → float64, floats → float32, with
 * NaN for nulls;
 * ints (int64 as bigint included, range-checked) → int32; bools → bool; everything else
 * (strings, Dates, lists) as JS values with `null` for nulls.
 * @internal
 */
function jsColumn(values: ArrayLike<unknown>, kind: JsColumnKind, column: string, ctx: ColumnContext): ColumnValue {
  const n = values.length;
  if (kind === 'other') {
    const out: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = values[i] ?? null;
    return out;
  }
  if (kind === 'float' || kind === 'double') {
    const out = kind === 'double' ? new Float64Array(n) : new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const value = values[i];
      out[i] = value === null || value === undefined ? NaN : Number(value);
    }
    return new NDArray(kind === 'double' ? 'float64' : 'float32', [n], out);
  }
  const out = kind === 'int' ? new Int32Array(n) : new Uint8Array(n);
  const replacement = nullValueFor(ctx.options, column);
  for (let i = 0; i < n; i++) {
    const value = values[i];
    if (value === null || value === undefined) {
      if (replacement === undefined) {
        throw new InvalidArgumentError(
          `${ctx.where}: column '${column}' has a null at row ${(ctx.firstRow ?? 0) + i}; integer and bool columns can't hold nulls: pass { nullValue } (optionally with { validity: ['${column}'] })`,
        );
      }
      out[i] = replacement;
      continue;
    }
    const number = Number(value);
    if (kind === 'int' && (number > 2147483647 || number < -2147483648 || !Number.isInteger(number))) {
      throw new InvalidArgumentError(
        `${ctx.where}: column '${column}' row ${(ctx.firstRow ?? 0) + i} holds ${String(value)}, which does not fit int32 (tsflow's integer dtype)`,
      );
    }
    out[i] = number;
  }
  return new NDArray(kind === 'int' ? 'int32' : 'bool', [n], out);
}

/** Adds `<name>_valid` masks for the columns that asked for them. */
function addValidityColumns(
  columns: Record<string, ColumnValue>,
  raw: Readonly<Record<string, ArrayLike<unknown>>>,
  ctx: ColumnContext,
): void {
  for (const [name, values] of Object.entries(raw)) {
    if (!wantsValidity(ctx.options, name)) continue;
    const mask = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) mask[i] = values[i] === null || values[i] === undefined ? 0 : 1;
    columns[name + VALIDITY_SUFFIX] = new NDArray('bool', [values.length], mask);
  }
}
