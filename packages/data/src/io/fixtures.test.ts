import { gunzipSync } from 'node:zlib';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NDArray, UnimplementedError } from '@tsflow/core';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { ArrowSource } from './arrow_source.js';
import { DataLossError } from './io_errors.js';
import { ParquetSource } from './parquet_source.js';
import { readParquetFooter } from './parquet/footer.js';
import { writeStageToParquet } from './sinks.js';
import { ThriftWriter, type ThriftList, type ThriftStruct } from './parquet/thrift_compact.js';
import { columnValues, readChunks, readRows } from './test_helpers.js';

const fixtures = fileURLToPath(new URL('../../../../test-fixtures/', import.meta.url));
const shared = fileURLToPath(new URL('../../../../test-fixtures/csv/', import.meta.url)); // copies of shared/data (see test-fixtures/README.md)
const parquet = (name: string) => join(fixtures, 'parquet', name);
const arrow = (name: string) => join(fixtures, 'arrow', name);

let duckdb: DuckDBConnection;
beforeAll(async () => {
  duckdb = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => duckdb?.closeSync());

/** Rows as DuckDB (an independent Parquet reader) sees them, in tsflow's value conventions. */
async function duckdbRows(path: string): Promise<Record<string, unknown>[]> {
  const result = await duckdb.runAndReadAll(`SELECT * FROM read_parquet('${path.replaceAll("'", "''")}')`);
  return result
    .getRowObjectsJS()
    .map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, normalize(value, key)])));
}

function normalize(value: unknown, key: string): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value === null && key.startsWith('f')) return NaN; // float nulls read as NaN
  if (value instanceof NDArray) return value.toArray();
  return value;
}

function tsflowRow(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [key, value instanceof NDArray ? value.toArray() : value]),
  );
}

describe('fixtures from other writers and real data', () => {
  const typeFiles = [
    'types_none',
    'types_snappy',
    'types_gzip',
    'types_zstd',
    'duckdb_types_uncompressed',
    'duckdb_types_snappy',
    'duckdb_types_gzip',
    'duckdb_types_zstd',
  ];
  it.each(typeFiles)('%s.parquet: every type matches what DuckDB reads', async (name) => {
    const path = parquet(`types/${name}.parquet`);
    const ours = (await readRows(new ParquetSource(path))).map(tsflowRow);
    const theirs = await duckdbRows(path);
    expect(ours).toHaveLength(40);
    expect(ours).toEqual(theirs);
  });

  it('types written by arrow-rs keep the fixed-size list as [n, d]; by DuckDB it is a list', async () => {
    const [ours] = await readChunks(new ParquetSource(parquet('types/types_zstd.parquet'), { columns: ['embedding'] }));
    expect((ours!.columns.embedding as NDArray).shape).toEqual([16, 3]);
    const [duck] = await readChunks(
      new ParquetSource(parquet('types/duckdb_types_zstd.parquet'), { columns: ['embedding'] }),
    );
    expect(Array.isArray(duck!.columns.embedding)).toBe(true);
  });

  it('our own Parquet files read back identically in DuckDB', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsflow-duck-'));
    const path = join(dir, 'iris-copy.parquet');
    // Columnar path: the source's chunks go to the writer without row objects.
    await writeStageToParquet(new ParquetSource(parquet('iris.parquet')), path, { compression: 'zstd' });
    const original = (await readRows(new ParquetSource(parquet('iris.parquet')))).map(tsflowRow);
    expect(await duckdbRows(path)).toEqual(original);
  });

  it('iris.parquet / iris.arrow hold the CSV values (float64 features exactly, int64 target as int32)', async () => {
    const csv = readFileSync(join(shared, 'iris.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',').map(Number));
    for (const source of [
      new ParquetSource(parquet('iris.parquet')),
      new ArrowSource(arrow('iris.arrow')),
      new ArrowSource(arrow('iris.arrows')),
    ]) {
      const chunks = await readChunks(source);
      expect(columnValues(chunks, 'sepal_length')).toEqual(csv.map((row) => row[0]!));
      expect((chunks[0]!.columns.sepal_length as NDArray).dtype).toBe('float64');
      expect(columnValues(chunks, 'target')).toEqual(csv.map((row) => row[4]));
      expect((chunks[0]!.columns.target as NDArray).dtype).toBe('int32');
    }
  });

  it('digits.parquet gives pixels as a [rows, 64] float32 column next to the label', async () => {
    const csv = gunzipSync(readFileSync(join(shared, 'digits.csv.gz')))
      .toString('utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(',').map(Number));
    const chunks = await readChunks(new ParquetSource(parquet('digits.parquet')));
    expect(chunks.map((chunk) => chunk.numRows)).toEqual([512, 512, 512, 261]);
    const pixels = chunks[3]!.columns.pixels as NDArray;
    expect(pixels.shape).toEqual([261, 64]);
    expect(Array.from(pixels.data.subarray(0, 64))).toEqual(csv[1536]!.slice(0, 64));
    expect(columnValues(chunks, 'label')).toEqual(csv.map((row) => row[64]));
  });

  it('reads only the chosen row groups, and names one that does not exist', async () => {
    const chunks = await readChunks(
      new ParquetSource(parquet('digits.parquet'), { rowGroups: [1, 3], columns: ['label'] }),
    );
    expect(chunks.map((chunk) => chunk.numRows)).toEqual([512, 261]);
    await expect(readChunks(new ParquetSource(parquet('digits.parquet'), { rowGroups: [7] }))).rejects.toThrow(
      /row group 7 does not exist in file '.*digits\.parquet', which has 4/,
    );
  });

  it('refuses malformed rowGroups and columns options when the source is built', () => {
    expect(() => new ParquetSource(parquet('digits.parquet'), { rowGroups: [-1] })).toThrow(
      /fromParquet: rowGroups must be an array of row group indices \(integers from 0\), got \[-1\]/,
    );
    expect(() => new ParquetSource(parquet('digits.parquet'), { rowGroups: 2 as never })).toThrow(
      /fromParquet: rowGroups must be an array/,
    );
    expect(() => new ParquetSource(parquet('digits.parquet'), { columns: 'label' as never })).toThrow(
      /fromParquet: columns must be a non-empty array of column names, got "label"/,
    );
    expect(() => new ParquetSource(parquet('digits.parquet'), { columns: [] })).toThrow(
      /fromParquet: columns must be a non-empty array/,
    );
    expect(() => new ParquetSource(parquet('digits.parquet'), { nullValue: '-1' as never })).toThrow(
      /fromParquet: nullValue must be a number or an object of numbers by column, got "-1"/,
    );
    expect(() => new ParquetSource(parquet('digits.parquet'), { nullValue: { label: null } as never })).toThrow(
      /fromParquet: nullValue must be a number or an object of numbers by column, got \{"label":null\}/,
    );
    expect(() => new ParquetSource(parquet('digits.parquet'), { validity: 'label' as never })).toThrow(
      /fromParquet: validity must be true, false or an array of column names, got "label"/,
    );
  });

  it('reads a glob of files in order and resumes in a later file', async () => {
    const source = new ParquetSource(parquet('parts/iris-part-*.parquet'), { columns: ['petal_width'] });
    expect(source.label).toBe(`ParquetSource('${parquet('parts/iris-part-*.parquet')}', columns=[petal_width])`);
    const all = columnValues(await readChunks(source), 'petal_width');
    const whole = columnValues(
      await readChunks(new ParquetSource(parquet('iris.parquet'), { columns: ['petal_width'] })),
      'petal_width',
    );
    expect(all).toEqual(whole);
    const resumed = await readRows(source, { file: 1, rowGroup: 0, row: 10 });
    expect(resumed.map((row) => row.petal_width)).toEqual(whole.slice(60));
    expect((await readRows(source))[0]!.petal_width).toBe(0.2); // rows keep the file's doubles exactly
  });
});

describe('bad input', () => {
  it.each([
    [
      'iris_truncated.parquet',
      /Parquet file '.*iris_truncated\.parquet' is truncated or corrupt: it does not end with "PAR1"/,
    ],
    ['iris_bad_magic.parquet', /'.*iris_bad_magic\.parquet' is not a Parquet file: it starts with "JUNK", not "PAR1"/],
    [
      'iris_corrupt_page.parquet',
      /Parquet file '.*iris_corrupt_page\.parquet' row group 0, column 'sepal_length', page 0: the page header at byte 4 is corrupt/,
    ],
  ])('%s → DataLossError naming the file', async (name, message) => {
    const error = await readChunks(new ParquetSource(parquet(`corrupt/${name}`))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataLossError);
    expect((error as Error).message).toMatch(message);
  });

  it('a corrupt page in a column that is not read does not matter', async () => {
    const chunks = await readChunks(
      new ParquetSource(parquet('corrupt/iris_corrupt_page.parquet'), { columns: ['target'] }),
    );
    expect(columnValues(chunks, 'target')).toHaveLength(150);
  });

  it('truncated and non-Arrow IPC files → DataLossError', async () => {
    for (const name of ['iris_truncated.arrow', 'iris_bad_magic.arrow']) {
      await expect(readChunks(new ArrowSource(arrow(`corrupt/${name}`)))).rejects.toThrow(DataLossError);
    }
  });

  it('a missing column names the column and the file', async () => {
    await expect(
      readChunks(new ParquetSource(parquet('iris.parquet'), { columns: ['petal_width', 'colour'] })),
    ).rejects.toThrow(
      /column 'colour' not found in file '.*iris\.parquet'; its columns are sepal_length, sepal_width, petal_length, petal_width, target/,
    );
  });

  it('a schema mismatch across files names the column and both files', async () => {
    const source = new ParquetSource([parquet('mismatch/a.parquet'), parquet('mismatch/b.parquet')]);
    expect(source.label).toBe('ParquetSource(2 files)');
    await expect(readChunks(source)).rejects.toThrow(
      /schema mismatch across files: column 'x' is Float64 in '.*a\.parquet' but Utf8 in '.*b\.parquet'/,
    );
    const missing = new ParquetSource([parquet('iris.parquet'), parquet('mismatch/a.parquet')], {
      columns: ['target'],
    });
    await expect(readChunks(missing)).rejects.toThrow(
      /column 'target' not found in file '.*a\.parquet' \(the first file, '.*iris\.parquet', has it\)/,
    );
  });

  it('int64 values beyond int32 are refused with the column named', async () => {
    await expect(readChunks(new ParquetSource(parquet('types/duckdb_int64_overflow.parquet')))).rejects.toThrow(
      /column 'big' row 1 holds 4000000000, which does not fit int32/,
    );
  });

  it('a codec the engine lacks (LZO) is named', async () => {
    const path = await withCodec(parquet('mismatch/a.parquet'), 3);
    const error = await readChunks(new ParquetSource(path)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnimplementedError);
    expect((error as Error).message).toMatch(
      /column 'x' is compressed with LZO, which the parquet-wasm engine can't decode/,
    );
  });
});

/** A copy of `path` whose footer claims `codec` for every column chunk (data left as is). */
async function withCodec(path: string, codec: number): Promise<string> {
  const handle = await open(path);
  const footer = await readParquetFooter(handle, path);
  await handle.close();
  for (const rowGroup of (footer.metadata.get(4)!.value as ThriftList).items as ThriftStruct[]) {
    for (const chunk of (rowGroup.get(1)!.value as ThriftList).items as ThriftStruct[]) {
      (chunk.get(3)!.value as ThriftStruct).get(4)!.value = codec;
    }
  }
  const writer = new ThriftWriter();
  writer.writeStruct(footer.metadata);
  const meta = writer.bytes();
  const bytes = readFileSync(path);
  const footerLength = bytes.readUInt32LE(bytes.length - 8);
  const body = bytes.subarray(0, bytes.length - 8 - footerLength);
  const tail = Buffer.alloc(8);
  tail.writeUInt32LE(meta.length, 0);
  tail.write('PAR1', 4, 'latin1');
  const out = join(mkdtempSync(join(tmpdir(), 'tsflow-lzo-')), 'lzo.parquet');
  writeFileSync(out, Buffer.concat([body, meta, tail]));
  return out;
}
