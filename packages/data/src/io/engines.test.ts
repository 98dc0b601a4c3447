import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type NDArray, NotFoundError } from '@tsflow/core';
import { Int32, Table, tableFromArrays, tableToIPC, vectorFromArray } from 'apache-arrow';
import * as parquetWasm from 'parquet-wasm';
import { ParquetSource } from './parquet_source.js';
import { DataLossError } from './io_errors.js';
import { readParquetFooter } from './parquet/footer.js';
import { CompactType, type ThriftList, type ThriftStruct, ThriftWriter } from './parquet/thrift_compact.js';
import { columnValues, readChunks, readRows } from './test_helpers.js';

const fixtures = fileURLToPath(new URL('../../../../test-fixtures/', import.meta.url));
const parquet = (name: string) => join(fixtures, 'parquet', name);

/** A file every engine can read: no dictionary pages, snappy, format v1 (parquetjs-lite's limits). */
function plainFile(): string {
  const n = 100;
  const table = tableFromArrays({
    x: Float64Array.from({ length: n }, (_, i) => i / 4),
    k: Int32Array.from({ length: n }, (_, i) => i * 3),
    s: Array.from({ length: n }, (_, i) => `s${i}`),
  });
  const properties = new parquetWasm.WriterPropertiesBuilder()
    .setCompression(parquetWasm.Compression.SNAPPY)
    .setDictionaryEnabled(false)
    .setWriterVersion(parquetWasm.WriterVersion.V1)
    .setMaxRowGroupSize(30)
    .build();
  const path = join(mkdtempSync(join(tmpdir(), 'tsflow-engines-')), 'plain.parquet');
  writeFileSync(
    path,
    parquetWasm.writeParquet(parquetWasm.Table.fromIPCStream(tableToIPC(table, 'stream')), properties),
  );
  return path;
}

/** A 10-row file whose footer claims 12 rows (pages hold fewer rows than promised). */
async function overpromisingFile(): Promise<string> {
  const table = tableFromArrays({ x: Float64Array.from({ length: 10 }, (_, i) => i) });
  const properties = new parquetWasm.WriterPropertiesBuilder()
    .setDictionaryEnabled(false)
    .setWriterVersion(parquetWasm.WriterVersion.V1)
    .build();
  const path = join(mkdtempSync(join(tmpdir(), 'tsflow-short-')), 'short.parquet');
  writeFileSync(
    path,
    parquetWasm.writeParquet(parquetWasm.Table.fromIPCStream(tableToIPC(table, 'stream')), properties),
  );
  const handle = await open(path, 'r');
  const { metadata } = await readParquetFooter(handle, path);
  await handle.close();
  metadata.set(3, { type: CompactType.I64, value: 12n });
  for (const rowGroup of (metadata.get(4)!.value as ThriftList).items as ThriftStruct[])
    rowGroup.set(3, { type: CompactType.I64, value: 12n });
  const writer = new ThriftWriter();
  writer.writeStruct(metadata);
  const footer = writer.bytes();
  const bytes = readFileSync(path);
  const tail = Buffer.alloc(8);
  tail.writeUInt32LE(footer.length, 0);
  tail.write('PAR1', 4, 'latin1');
  writeFileSync(
    path,
    Buffer.concat([bytes.subarray(0, bytes.length - 8 - bytes.readUInt32LE(bytes.length - 8)), footer, tail]),
  );
  return path;
}

describe('Parquet engines', () => {
  const path = plainFile();
  it.each(['auto', 'parquet-wasm', 'hyparquet', 'parquetjs-lite'] as const)(
    '%s reads the same columns, projections and resumes',
    async (engine) => {
      const chunks = await readChunks(new ParquetSource(path, { engine, batchSize: 16 }));
      expect(columnValues(chunks, 'x')).toEqual(Array.from({ length: 100 }, (_, i) => i / 4));
      expect(columnValues(chunks, 'k')).toEqual(Array.from({ length: 100 }, (_, i) => i * 3));
      expect(columnValues(chunks, 's')).toEqual(Array.from({ length: 100 }, (_, i) => `s${i}`));
      expect((chunks[0]!.columns.k as NDArray).dtype).toBe('int32');
      const projected = await readRows(new ParquetSource(path, { engine, columns: ['s', 'k'] }), {
        file: 0,
        rowGroup: 2,
        row: 5,
      });
      expect(projected[0]).toEqual({ s: 's65', k: 195 });
      expect(projected).toHaveLength(35);
    },
  );

  it('hyparquet reads every type of the DuckDB fixture like the default engine (lists for fixed-size lists)', async () => {
    const file = parquet('types/duckdb_types_zstd.parquet');
    const wasm = await readRows(new ParquetSource(file));
    const hyp = await readRows(new ParquetSource(file, { engine: 'hyparquet' }));
    expect(hyp).toEqual(wasm);
  });

  it('hyparquet reports corrupt files as DataLossError naming the file', async () => {
    for (const name of ['iris_truncated.parquet', 'iris_bad_magic.parquet', 'iris_corrupt_page.parquet']) {
      const error = await readChunks(new ParquetSource(parquet(`corrupt/${name}`), { engine: 'hyparquet' })).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DataLossError);
      expect((error as Error).message).toContain(name);
    }
  });

  it('parquetjs-lite names what it cannot read instead of crashing', async () => {
    const error = await readChunks(
      new ParquetSource(parquet('types/types_zstd.parquet'), { engine: 'parquetjs-lite' }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataLossError);
    expect((error as Error).message).toMatch(/types_zstd\.parquet.*parquetjs-lite/);
  });

  it.each(['auto', 'hyparquet'] as const)(
    '%s names the row group and row of an int null, and applies nullValue',
    async (engine) => {
      const values = Array.from({ length: 50 }, (_, i) => (i === 41 ? null : i));
      const table = new Table({ n: vectorFromArray(values, new Int32()) });
      const properties = new parquetWasm.WriterPropertiesBuilder().setMaxRowGroupSize(32).build();
      const file = join(mkdtempSync(join(tmpdir(), 'tsflow-nulls-')), 'nulls.parquet');
      writeFileSync(
        file,
        parquetWasm.writeParquet(parquetWasm.Table.fromIPCStream(tableToIPC(table, 'stream')), properties),
      );
      await expect(readChunks(new ParquetSource(file, { engine }))).rejects.toThrow(
        /file '.*nulls\.parquet' row group 1: column 'n' .*has a null at row 9; .*nullValue/,
      );
      const chunks = await readChunks(new ParquetSource(file, { engine, nullValue: -1, validity: true }));
      expect(columnValues(chunks, 'n')).toEqual(values.map((v) => v ?? -1));
      expect(columnValues(chunks, 'n_valid')).toEqual(values.map((v) => v !== null));
    },
  );

  it('parquetjs-lite reads tsflow files written with { dictionary: false }, and explains the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsflow-dict-'));
    const rows = Array.from({ length: 20 }, (_, i) => ({ x: i / 2, tag: `t${i % 3}` }));
    async function* source() {
      yield* rows;
    }
    const { writeParquet } = await import('./writers/parquet_writer.js');
    await writeParquet(source(), join(dir, 'plain.parquet'), { dictionary: false });
    expect(await readRows(new ParquetSource(join(dir, 'plain.parquet'), { engine: 'parquetjs-lite' }))).toEqual(rows);
    await writeParquet(source(), join(dir, 'dict.parquet'));
    await expect(readRows(new ParquetSource(join(dir, 'dict.parquet'), { engine: 'parquetjs-lite' }))).rejects.toThrow(
      /can't be decoded by parquetjs-lite: invalid encoding: RLE_DICTIONARY \(parquetjs-lite can't read dictionary-encoded pages.*\{ dictionary: false \}\)/,
    );
  });

  it.each(['parquet-wasm', 'hyparquet', 'parquetjs-lite'] as const)(
    '%s names a file that cannot be opened',
    async (engine) => {
      const error = await readChunks(new ParquetSource(join(fixtures, 'parquet', 'absent.parquet'), { engine })).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as Error).message).toMatch(/^Parquet file '.*absent\.parquet' could not be opened: ENOENT/);
    },
  );

  it.each([
    ['parquet-wasm', /row group 0, column 'x' is corrupt or truncated: .*expected 12, got 10/],
    ['hyparquet', /row group 0, column 'x' is truncated or corrupt: it holds 10 of the 12 rows its footer promises/],
    ['parquetjs-lite', /row group 0 is truncated or corrupt: it ends at row 10 of the 12 rows its footer promises/],
  ] as const)(
    '%s refuses pages with fewer rows than the footer promises (no made-up nulls)',
    async (engine, message) => {
      const error = await readChunks(new ParquetSource(await overpromisingFile(), { engine })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataLossError);
      expect((error as Error).message).toMatch(message);
    },
  );

  it('rejects an unknown engine', () => {
    expect(() => new ParquetSource(path, { engine: 'arrow-cpp' as never })).toThrow(
      /unknown engine "arrow-cpp"; expected 'auto', 'parquet-wasm', 'hyparquet', 'parquetjs-lite'/,
    );
    expect(() => new ParquetSource(path, { engine: 'constructor' as never })).toThrow(/unknown engine "constructor"/);
  });
});
