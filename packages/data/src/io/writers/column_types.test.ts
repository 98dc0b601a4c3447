import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { NDArray } from '@tsflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dataset } from '../../dataset.js';

// A file written by DuckDB (an independent writer) with one column of each common type, nulls
// and an int64 beyond 2^53; every tsflow path must write the same column types back, which
// DuckDB's DESCRIBE reads from the output.
const SOURCE_SQL = `
  SELECT i::INTEGER AS i32, (i * 1000 - 7)::BIGINT AS i64, i / 3 AS f64, (i / 4)::FLOAT AS f32,
         'name-' || (i % 7) AS s, TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND AS ts, i % 2 = 0 AS b,
         CASE WHEN i % 5 = 0 THEN NULL ELSE i * 0.5::DOUBLE END AS nullable
  FROM range(200) t(i)`;
const SOURCE_TYPES = [
  'i32 INTEGER',
  'i64 BIGINT',
  'f64 DOUBLE',
  'f32 FLOAT',
  's VARCHAR',
  'ts TIMESTAMP',
  'b BOOLEAN',
  'nullable DOUBLE',
];

let duckdb: DuckDBConnection;
let dir: string;
let source: string;

beforeAll(async () => {
  duckdb = await (await DuckDBInstance.create(':memory:')).connect();
  dir = mkdtempSync(join(tmpdir(), 'tsflow-types-'));
  source = join(dir, 'source.parquet');
  await duckdb.run(`COPY (${SOURCE_SQL}) TO '${source}' (FORMAT parquet)`);
});

afterAll(() => {
  duckdb.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

async function describeTypes(path: string): Promise<string[]> {
  const result = await duckdb.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path}')`);
  return result.getRows().map((row) => `${String(row[0])} ${String(row[1])}`);
}

/** Rows of `a` not in `b` plus rows of `b` not in `a`: 0 when the files hold the same values. */
async function differingRows(a: string, b: string): Promise<number> {
  const sql = `SELECT count(*) FROM ((SELECT * FROM read_parquet('${a}') EXCEPT ALL SELECT * FROM read_parquet('${b}'))
    UNION ALL (SELECT * FROM read_parquet('${b}') EXCEPT ALL SELECT * FROM read_parquet('${a}')))`;
  return Number((await duckdb.runAndReadAll(sql)).getRows()[0]![0]);
}

describe('sinks keep column types (checked with DuckDB DESCRIBE)', () => {
  it('the source file has the types the test relies on', async () => {
    expect(await describeTypes(source)).toEqual(SOURCE_TYPES);
  });

  const paths: [string, (ds: Dataset<Record<string, unknown>>) => Dataset<unknown>][] = [
    ['a straight copy', (ds) => ds],
    ['rows rebuilt in map', (ds) => ds.map((row) => ({ ...row }))],
    [
      'rows through filter and shuffle',
      (ds) =>
        ds
          .filter(() => true)
          .shuffle(10, { seed: 1 })
          .map((row) => Object.assign({}, row)),
    ],
    ['columnar batches', (ds) => ds.batch(64)],
    ['batches rebuilt in map', (ds) => ds.batch(64).map((batch) => ({ ...(batch as Record<string, unknown>) }))],
    ['batch then unbatch', (ds) => ds.batch(64).unbatch()],
  ];

  for (const [label, pipeline] of paths) {
    it(`${label}: same types and values`, async () => {
      const out = join(dir, `${label.replace(/\W+/g, '-')}.parquet`);
      const result = await pipeline(Dataset.fromParquet(source)).writeParquet(out);
      expect(result.rows).toBe(200);
      expect(result.bytes).toBeGreaterThan(0);
      expect(await describeTypes(out)).toEqual(SOURCE_TYPES);
      if (label === 'a straight copy') expect(await differingRows(source, out)).toBe(0);
      else {
        // Paths through tsflow values: every column round-trips but nullable, whose nulls are NaN in a float64 value.
        const columns = 'i32, i64, f64, f32, s, ts, b';
        const sql = `SELECT count(*) FROM (SELECT ${columns} FROM read_parquet('${source}') EXCEPT ALL SELECT ${columns} FROM read_parquet('${out}'))`;
        expect(Number((await duckdb.runAndReadAll(sql)).getRows()[0]![0])).toBe(0);
      }
    });
  }

  it("dictionary 'auto' encodes string columns only; true encodes all", async () => {
    const encodings = async (path: string) =>
      Object.fromEntries(
        (
          await duckdb.runAndReadAll(
            `SELECT path_in_schema, encodings FROM parquet_metadata('${path}') WHERE row_group_id = 0`,
          )
        )
          .getRows()
          .map((row) => [String(row[0]), /DICTIONARY/.test(String(row[1]))]),
      );
    const auto = join(dir, 'dict-auto.parquet');
    await Dataset.fromParquet(source, { columns: ['i32', 'f64', 's'] }).writeParquet(auto);
    expect(await encodings(auto)).toEqual({ i32: false, f64: false, s: true });
    const all = join(dir, 'dict-all.parquet');
    await Dataset.fromParquet(source, { columns: ['i32', 'f64', 's'] }).writeParquet(all, { dictionary: true });
    expect(await encodings(all)).toEqual({ i32: true, f64: true, s: true });
  });

  it('double columns batch to float64 NDArrays, by view of the file data', async () => {
    const [batch] = (await Dataset.fromParquet(source, { columns: ['f64', 'i64'] })
      .batch(8)
      .take(1)
      .toArray()) as Record<string, NDArray>[];
    expect(batch!.f64!.dtype).toBe('float64');
    expect(batch!.f64!.get(1)).toBe(1 / 3);
    expect(batch!.i64!.dtype).toBe('int32');
  });

  it('a straight copy keeps int64 values beyond 2^53 and every null', async () => {
    const huge = join(dir, 'huge.parquet');
    await duckdb.run(
      `COPY (SELECT 9007199254740993 + i AS id, CASE WHEN i = 1 THEN NULL ELSE i END AS maybe FROM range(3) t(i)) TO '${huge}' (FORMAT parquet)`,
    );
    const out = join(dir, 'huge-out.parquet');
    await Dataset.fromParquet(huge).writeParquet(out);
    expect(await describeTypes(out)).toEqual(['id BIGINT', 'maybe BIGINT']);
    expect(await differingRows(huge, out)).toBe(0);
  });

  it('rows keep int64 values beyond int32 exactly, and batching them names the overflow', async () => {
    const big = join(dir, 'big.parquet');
    await duckdb.run(`COPY (SELECT (i * 3000000000)::BIGINT AS id FROM range(3) t(i)) TO '${big}' (FORMAT parquet)`);
    expect((await Dataset.fromParquet(big).toArray()).map((row) => row.id)).toEqual([0, 3000000000, 6000000000]);
    await expect(
      Dataset.fromParquet(big)
        .map((row) => ({ ...row }))
        .writeParquet(join(dir, 'big-out.parquet')),
    ).resolves.toMatchObject({ rows: 3 });
    expect(await describeTypes(join(dir, 'big-out.parquet'))).toEqual(['id BIGINT']);
    await expect(Dataset.fromParquet(big).shuffle(2, { seed: 1 }).batch(3).toArray()).rejects.toThrow(
      /(3000000000|6000000000) does not fit int32, the dtype of this integer column in a batch/,
    );
  });

  it('a stated schema sets output types, and a value that does not fit names column and row', async () => {
    const out = join(dir, 'stated.parquet');
    const rows = Dataset.fromArray([
      { id: 1, score: 0.5, day: new Date(Date.UTC(2024, 0, 2)) },
      { id: 2 ** 40, score: 1.5, day: null },
    ]);
    await rows.writeParquet(out, { schema: { id: 'int64', score: 'float32', day: 'date32' } });
    expect(await describeTypes(out)).toEqual(['id BIGINT', 'score FLOAT', 'day DATE']);
    const values = (
      await duckdb.runAndReadAll(`SELECT id, score, day::VARCHAR FROM read_parquet('${out}') ORDER BY id`)
    ).getRows();
    expect(values.map((row) => [String(row[0]), row[1], row[2]])).toEqual([
      ['1', 0.5, '2024-01-02'],
      [String(2 ** 40), 1.5, null],
    ]);
    await expect(
      Dataset.fromArray([{ n: 1 }, { n: 2.5 }]).writeParquet(join(dir, 'bad.parquet'), { schema: { n: 'int32' } }),
    ).rejects.toThrow(
      /column 'n' row 1: expected an integer from -2147483648 to 2147483647 \(int32\), got number 2\.5/,
    );
    await expect(
      Dataset.fromArray([{ n: 300 }]).writeArrow(join(dir, 'bad.arrow'), { schema: { n: 'uint8' } }),
    ).rejects.toThrow(/column 'n' row 0: expected an integer from 0 to 255 \(uint8\), got number 300/);
    await expect(
      Dataset.fromArray([{ n: 1 }]).writeParquet(join(dir, 'bad.parquet'), { schema: { m: 'int32' } }),
    ).rejects.toThrow(/schema names column 'm', which the data does not have; its columns are n/);
    await expect(
      Dataset.fromArray([{ n: 1 }]).writeParquet(join(dir, 'bad.parquet'), { schema: { n: 'int128' as never } }),
    ).rejects.toThrow(/schema column 'n' has type "int128"; expected one of bool, int8/);
  });

  it('a value that no longer fits a kept source type is an error naming column and row', async () => {
    const ints = Dataset.fromParquet(source, { columns: ['i32'] }).map((row) => ({
      i32: (row.i32 as number) === 150 ? 0.5 : (row.i32 as number),
    }));
    await expect(ints.writeParquet(join(dir, 'changed.parquet'), { rowGroupSize: 100 })).rejects.toThrow(
      /column 'i32' row 150: expected an integer from -2147483648 to 2147483647 \(int32\), got number 0\.5/,
    );
    // A column whose first values already differ in kind gets its own type.
    const renamed = Dataset.fromParquet(source, { columns: ['i32'] }).map((row) => ({ i32: `#${String(row.i32)}` }));
    await renamed.writeParquet(join(dir, 'strings.parquet'));
    expect(await describeTypes(join(dir, 'strings.parquet'))).toEqual(['i32 VARCHAR']);
  });
});
