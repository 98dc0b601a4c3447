import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import * as parquetWasm from 'parquet-wasm';
import { readParquetFooter } from './footer.js';
import { projectFooter, rowGroupFile } from './row_group_file.js';
import { ThriftReader, ThriftWriter } from './thrift_compact.js';

const digits = fileURLToPath(new URL('../../../../../test-fixtures/parquet/digits.parquet', import.meta.url));
const duckdb = fileURLToPath(
  new URL('../../../../../test-fixtures/parquet/types/duckdb_types_zstd.parquet', import.meta.url),
);

function footerBytes(path: string): Uint8Array {
  const bytes = readFileSync(path);
  const length = bytes.readUInt32LE(bytes.length - 8);
  return bytes.subarray(bytes.length - 8 - length, bytes.length - 8);
}

describe('Parquet footer handling', () => {
  it.each([digits, duckdb])('re-encodes a footer byte for byte (%s)', (path) => {
    const bytes = footerBytes(path);
    const writer = new ThriftWriter();
    writer.writeStruct(new ThriftReader(bytes).readStruct());
    expect(Buffer.from(writer.bytes()).equals(Buffer.from(bytes))).toBe(true);
  });

  it('describes row groups, leaf column chunks and top-level columns', async () => {
    const handle = await open(duckdb);
    const footer = await readParquetFooter(handle, duckdb);
    await handle.close();
    expect(footer.numRows).toBe(40);
    expect(footer.rowGroups.map((group) => group.numRows)).toEqual([40]); // DuckDB keeps at least 2048 rows per group
    expect(footer.columns.map((column) => column.name)).toEqual([
      'i32',
      'i64',
      'f32',
      'f64',
      'flag',
      'name',
      'category',
      'ts',
      'tags',
      'embedding',
    ]);
    expect(footer.rowGroups[0]!.chunks.map((chunk) => chunk.codec)).toEqual(Array(10).fill('ZSTD'));
    expect(footer.rowGroups[0]!.chunks[8]!.path).toBe('tags.list.element');
  });

  it('builds a standalone file of one row group and the chosen columns only', async () => {
    const handle = await open(digits);
    const footer = await readParquetFooter(handle, digits);
    const file = await rowGroupFile(handle, projectFooter(footer, ['label']), 2);
    await handle.close();
    const labels = footer.rowGroups[2]!.chunks[1]!.length;
    expect(file.length).toBeLessThan(labels + 2000); // the pixels chunk is not in it
    const table = tableFromIPC(parquetWasm.readParquet(file).intoIPCStream());
    expect(table.schema.fields.map((field) => field.name)).toEqual(['label']);
    expect(table.numRows).toBe(512);
  });

  it('rejects a footer length that runs past the start of the file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tsflow-footer-')), 'bad-length.parquet');
    const bytes = Buffer.from(readFileSync(digits));
    bytes.writeUInt32LE(bytes.length * 2, bytes.length - 8);
    writeFileSync(path, bytes);
    const handle = await open(path);
    await expect(readParquetFooter(handle, path)).rejects.toThrow(/footer claims \d+ bytes but the file has \d+/);
    await handle.close();
  });
});
