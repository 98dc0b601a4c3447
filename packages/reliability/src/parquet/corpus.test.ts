import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { NDArray, TsflowError } from '@tsflow/core';
import { Dataset } from '@tsflow/data';
import { parquetTesting } from '../fixtures.js';

/**
 * Every Parquet file of the apache/parquet-testing corpus (test-fixtures/parquet/parquet-testing)
 * read by tsflow and by DuckDB, an independent reader. Where both read a file, every value must
 * agree; where tsflow refuses one, it must be a named tsflow error stating the reason (never a
 * raw engine error); a file DuckDB cannot read must still not crash tsflow.
 */

const files = readdirSync(parquetTesting('.'))
  .filter((name) => name.endsWith('.parquet'))
  .sort();

/**
 * Conventions in which the two readers differ by design, not in values: DuckDB gives maps as
 * [{ key, value }] lists, tsflow as objects; such columns are compared after the same mapping.
 */
function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isNaN(value) ? null : value; // tsflow reads float nulls as NaN
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.getTime();
  if (value instanceof NDArray) return plain(value.toArray());
  if (value instanceof Uint8Array) return Array.from(value);
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(isMapEntry))
      return Object.fromEntries(value.map((entry) => [String(entry.key), plain(entry.value)]));
    return value.map(plain);
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length === 0 ? [] : Object.fromEntries(entries.map(([key, inner]) => [key, plain(inner)]));
  }
  return value;
}

function isMapEntry(value: unknown): value is { key: unknown; value: unknown } {
  return (
    value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).join() === 'key,value'
  );
}

let duckdb: DuckDBConnection;
beforeAll(async () => {
  duckdb = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => duckdb?.closeSync());

async function duckdbRows(path: string): Promise<unknown[] | Error> {
  try {
    const result = await duckdb.runAndReadAll(`SELECT * FROM read_parquet('${path.replaceAll("'", "''")}')`);
    return result.getRowObjectsJS().map(plain);
  } catch (error) {
    return error as Error;
  }
}

const RAW_TEXT = /Cannot read properties|Invalid typed array length|is not a function|unreachable|RuntimeError/;
const outcomes = new Map<string, string>();

describe('the parquet-testing corpus: tsflow agrees with DuckDB or refuses by name', () => {
  it.each(files)('%s', async (name) => {
    const path = parquetTesting(name);
    let ours: unknown[] | Error;
    try {
      ours = (await Dataset.fromParquet(path).toArray()).map(plain);
    } catch (error) {
      ours = error as Error;
    }
    if (ours instanceof Error) {
      expect(ours).toBeInstanceOf(TsflowError);
      expect(ours.message).not.toMatch(RAW_TEXT);
      outcomes.set(name, 'refused');
      return;
    }
    const theirs = await duckdbRows(path);
    if (theirs instanceof Error) {
      outcomes.set(name, 'read (DuckDB cannot)');
    } else {
      expect(ours).toEqual(theirs);
      outcomes.set(name, 'agrees');
    }
  });

  it('most of the corpus is read and agrees with DuckDB', () => {
    const agreeing = [...outcomes.values()].filter((outcome) => outcome === 'agrees').length;
    // A floor, so that a regression that makes tsflow refuse many files fails here.
    expect(agreeing).toBeGreaterThanOrEqual(Math.floor(files.length * 0.6));
  });
});
