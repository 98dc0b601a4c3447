import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run_cli.js';

let dir: string;
let duckdb: DuckDBConnection;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tsflow-convert-'));
  duckdb = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(async () => {
  duckdb.closeSync();
  await rm(dir, { recursive: true, force: true });
});

async function cli(
  argv: string[],
  progress?: { isTTY: boolean },
): Promise<{ code: number; out: string[]; err: string[]; progress: string }> {
  const out: string[] = [];
  const err: string[] = [];
  let shown = '';
  const stream = progress && {
    isTTY: progress.isTTY,
    columns: 100,
    write: (text: string) => {
      shown += text;
      return true;
    },
  };
  const code = await runCli(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    ...(stream ? { progress: stream } : {}),
  });
  return { code, out, err, progress: shown };
}

async function describeTypes(path: string): Promise<string[]> {
  const result = await duckdb.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path}')`);
  return result.getRows().map((row) => `${String(row[0])} ${String(row[1])}`);
}

const CSV = [
  'id,score,flag,name,big',
  ...Array.from(
    { length: 30 },
    (_, i) => `${i},${i / 4},${i % 2 === 0},n${i},${i === 29 ? '' : 9007199254740993n + BigInt(i)}`,
  ),
].join('\n');

describe('tsflow convert', () => {
  it('streams CSV into Parquet with types sampled from the first rows (checked with DuckDB DESCRIBE)', async () => {
    await writeFile(join(dir, 'table.csv'), CSV);
    const { code, out } = await cli(['convert', join(dir, 'table.csv'), join(dir, 'table.parquet')]);
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^wrote .*table\.parquet: 30 rows, [\d.]+ (B|KiB) in [\d.]+ s$/);
    expect(await describeTypes(join(dir, 'table.parquet'))).toEqual([
      'id BIGINT',
      'score DOUBLE',
      'flag BOOLEAN',
      'name VARCHAR',
      'big BIGINT',
    ]);
    const rows = (
      await duckdb.runAndReadAll(
        `SELECT big::VARCHAR, score FROM read_parquet('${join(dir, 'table.parquet')}') WHERE id IN (1, 29) ORDER BY id`,
      )
    ).getRows();
    expect(rows).toEqual([
      ['9007199254740994', 0.25],
      [null, 7.25],
    ]);
  });

  it('takes --schema for the types it states, and names a field that does not parse', async () => {
    const out = join(dir, 'stated.parquet');
    expect(
      (await cli(['convert', join(dir, 'table.csv'), out, '--schema', 'id:int32,score:float32,name:utf8'])).code,
    ).toBe(0);
    expect(await describeTypes(out)).toEqual([
      'id INTEGER',
      'score FLOAT',
      'flag BOOLEAN',
      'name VARCHAR',
      'big BIGINT',
    ]);
    const bad = await cli(['convert', join(dir, 'table.csv'), join(dir, 'bad.parquet'), '--schema', 'name:int64']);
    expect(bad.code).toBe(1);
    expect(bad.err[0]).toMatch(
      /^tsflow convert: column 'name' row 0: 'n0' is not a int64; state the column's type with --schema name:utf8/,
    );
    expect(
      (await cli(['convert', join(dir, 'table.csv'), join(dir, 'bad.parquet'), '--schema', 'id=int'])).err[0],
    ).toMatch(/--schema must be a list of column:type/);
    expect(
      (await cli(['convert', join(dir, 'table.csv'), join(dir, 'bad.parquet'), '--schema', 'id:decimal'])).err[0],
    ).toMatch(/--schema column 'id' has type 'decimal'; expected one of bool, int8/);
  });

  it('a later field that breaks the sampled type is an error naming column and row', async () => {
    const lines = ['n', ...Array.from({ length: 1200 }, (_, i) => (i === 1100 ? 'oops' : String(i)))];
    await writeFile(join(dir, 'late.csv'), lines.join('\n'));
    const result = await cli(['convert', join(dir, 'late.csv'), join(dir, 'late.arrow')]);
    expect(result.code).toBe(1);
    expect(result.err[0]).toMatch(/column 'n' row 1100: 'oops' is not a int64/);
  });

  it('shows progress by default on a terminal only, or when asked', async () => {
    const input = join(dir, 'table.csv');
    const onTerminal = await cli(['convert', input, join(dir, 'p1.parquet')], { isTTY: true });
    expect(onTerminal.progress).toMatch(/30 rows/);
    expect((await cli(['convert', input, join(dir, 'p2.parquet')], { isTTY: false })).progress).toBe('');
    expect((await cli(['convert', input, join(dir, 'p3.parquet'), '--progress'], { isTTY: false })).progress).toMatch(
      /^writeParquet .*p3\.parquet {2}30 rows {2}written/,
    );
    expect((await cli(['convert', input, join(dir, 'p4.parquet'), '--no-progress'], { isTTY: true })).progress).toBe(
      '',
    );
  });

  it('shows the source total and keeps Parquet types when copying Parquet', async () => {
    const copy = join(dir, 'copy.parquet');
    const { progress } = await cli(['convert', join(dir, 'table.parquet'), copy, '--progress'], { isTTY: false });
    expect(progress).toMatch(/30\/30 rows/);
    expect(await describeTypes(copy)).toEqual(await describeTypes(join(dir, 'table.parquet')));
  });
});
