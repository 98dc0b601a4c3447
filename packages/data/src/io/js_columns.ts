import { InvalidArgumentError, NDArray } from '@tsflow/core';
import type { ColumnValue } from '../pipeline/stage.js';
import { type ColumnContext, VALIDITY_SUFFIX, nullValueFor, wantsValidity } from './column_options.js';

/** What a column decoded by a pure-JS engine holds, from its Parquet schema. @internal */
export type JsColumnKind = 'float' | 'int' | 'bool' | 'other';

/**
 * A column decoded to JS values (hyparquet, parquetjs-lite) → a tsflow column, with the same
 * null policy as Arrow columns (column_options.ts): floats → float32 with NaN for nulls;
 * ints (int64 as bigint included, range-checked) → int32; bools → bool; everything else
 * (strings, Dates, lists) as JS values with `null` for nulls.
 * @internal
 */
export function jsColumn(values: ArrayLike<unknown>, kind: JsColumnKind, column: string, ctx: ColumnContext): ColumnValue {
  const n = values.length;
  if (kind === 'other') {
    const out: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = values[i] ?? null;
    return out;
  }
  if (kind === 'float') {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const value = values[i];
      out[i] = value === null || value === undefined ? NaN : Number(value);
    }
    return new NDArray('float32', [n], out);
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
    const number = typeof value === 'bigint' ? Number(value) : Number(value);
    if (kind === 'int' && (number > 2147483647 || number < -2147483648 || !Number.isInteger(number))) {
      throw new InvalidArgumentError(`${ctx.where}: column '${column}' row ${(ctx.firstRow ?? 0) + i} holds ${String(value)}, which does not fit int32 (tsflow's integer dtype)`);
    }
    out[i] = number;
  }
  return new NDArray(kind === 'int' ? 'int32' : 'bool', [n], out);
}

/** Exact float values for row objects (see `ColumnContext.exactRowValues`). */
export function exactFloats(values: ArrayLike<unknown>): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    out[i] = value === null || value === undefined ? NaN : Number(value);
  }
  return out;
}

/** Adds `<name>_valid` masks for the columns that asked for them. */
export function addValidityColumns(columns: Record<string, ColumnValue>, raw: Readonly<Record<string, ArrayLike<unknown>>>, ctx: ColumnContext): void {
  for (const [name, values] of Object.entries(raw)) {
    if (!wantsValidity(ctx.options, name)) continue;
    const mask = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) mask[i] = values[i] === null || values[i] === undefined ? 0 : 1;
    columns[name + VALIDITY_SUFFIX] = new NDArray('bool', [values.length], mask);
  }
}
