import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type NDArray, ndarray } from '@tsflow/core';
import { tableFromIPC } from 'apache-arrow';
import { readFileSync } from 'node:fs';
import { ArrowSource } from './arrow_source.js';
import { ParquetSource } from './parquet_source.js';
import { writeArrow } from './writers/arrow_writer.js';
import { type ParquetCompression, writeParquet } from './writers/parquet_writer.js';
import { columnValues, readChunks, readRows } from './test_helpers.js';

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

const dir = mkdtempSync(join(tmpdir(), 'tsflow-roundtrip-'));

/** Two columnar batches covering every type the sinks write, with nulls where the type allows. */
function typedBatches() {
  const batch = (offset: number, n: number) => ({
    f32: ndarray(Float32Array.from({ length: n }, (_, i) => (offset + i) * 0.5)),
    i32: ndarray(
      Int32Array.from({ length: n }, (_, i) => (offset + i) * -3),
      { dtype: 'int32' },
    ),
    flag: ndarray(
      Uint8Array.from({ length: n }, (_, i) => (offset + i) % 2),
      { dtype: 'bool' },
    ),
    f64: Array.from({ length: n }, (_, i) => ((offset + i) % 5 === 0 ? null : (offset + i) / 3)),
    name: Array.from({ length: n }, (_, i) => ((offset + i) % 4 === 0 ? null : `name-${(offset + i) % 3}`)),
    when: Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1) + (offset + i) * 1000)),
    tags: Array.from({ length: n }, (_, i) =>
      (offset + i) % 6 === 0 ? null : Array.from({ length: (offset + i) % 3 }, (_, k) => k + offset + i),
    ),
    vec: ndarray(
      Float32Array.from({ length: n * 4 }, (_, k) => offset * 4 + k),
      { shape: [n, 4] },
    ),
  });
  return [batch(0, 50), batch(50, 30)];
}

function expectTypedValues(chunks: Awaited<ReturnType<typeof readChunks>>): void {
  const n = 80;
  const idx = Array.from({ length: n }, (_, i) => i);
  expect(columnValues(chunks, 'f32')).toEqual(idx.map((i) => i * 0.5));
  expect(columnValues(chunks, 'i32')).toEqual(idx.map((i) => i * -3 + 0));
  expect(columnValues(chunks, 'flag')).toEqual(idx.map((i) => i % 2 === 1));
  expect(columnValues(chunks, 'f64')).toEqual(idx.map((i) => (i % 5 === 0 ? NaN : i / 3)));
  expect(columnValues(chunks, 'name')).toEqual(idx.map((i) => (i % 4 === 0 ? null : `name-${i % 3}`)));
  expect(columnValues(chunks, 'when')).toEqual(idx.map((i) => new Date(Date.UTC(2024, 0, 1) + i * 1000)));
  expect(columnValues(chunks, 'tags')).toEqual(
    idx.map((i) => (i % 6 === 0 ? null : Array.from({ length: i % 3 }, (_, k) => k + i))),
  );
  const vec = chunks.map((chunk) => chunk.columns.vec as NDArray);
  expect(vec.every((v) => v.shape[1] === 4 && v.dtype === 'float32')).toBe(true);
  expect(vec.flatMap((v) => Array.from(v.data))).toEqual(Array.from({ length: n * 4 }, (_, k) => k));
}

describe('Parquet and Arrow round trips', () => {
  const codecs: ParquetCompression[] = ['none', 'snappy', 'gzip', 'zstd', 'brotli', 'lz4'];
  it.each(codecs)('writes and reads back every type with %s compression', async (compression) => {
    const path = join(dir, `types-${compression}.parquet`);
    const result = await writeParquet(fromArray(typedBatches()), path, { compression, rowGroupSize: 32 });
    expect(result.rows).toBe(80);
    const source = new ParquetSource(path);
    expectTypedValues(await readChunks(source));
    const rows = await readRows(source);
    expect(rows[1]).toMatchObject({ f32: 0.5, i32: -3, flag: true, name: 'name-1', tags: [1] });
    expect((rows[1]!.vec as NDArray).toArray()).toEqual([4, 5, 6, 7]);
  });

  it('writes row groups of rowGroupSize rows, which resume by seeking', async () => {
    const path = join(dir, 'groups.parquet');
    await writeParquet(fromArray(typedBatches()), path, { rowGroupSize: 32 });
    const source = new ParquetSource(path, { columns: ['i32'] });
    const resumed = await readRows(source, { file: 0, rowGroup: 2, row: 3 });
    expect(resumed.map((row) => row.i32)).toEqual(Array.from({ length: 80 - 67 }, (_, i) => (67 + i) * -3));
  });

  it('writes rows (objects of values) as well as batches', async () => {
    const path = join(dir, 'rows.parquet');
    const rows = Array.from({ length: 10 }, (_, i) => ({
      x: i + 0.25,
      label: `c${i % 2}`,
      v: ndarray([i, i + 1, i + 2]),
    }));
    await writeParquet(fromArray(rows), path, { rowGroupSize: 4 });
    const back = await readRows(new ParquetSource(path));
    expect(back.map((row) => [row.x, row.label, (row.v as NDArray).toArray()])).toEqual(
      rows.map((row) => [row.x, row.label, row.v.toArray()]),
    );
  });

  it('round-trips Arrow IPC files and streams', async () => {
    for (const format of ['file', 'stream'] as const) {
      const path = join(dir, `types.${format === 'file' ? 'arrow' : 'arrows'}`);
      await writeArrow(fromArray(typedBatches()), path, { format });
      expectTypedValues(await readChunks(new ArrowSource(path)));
      expect(tableFromIPC(readFileSync(path)).numRows).toBe(80);
    }
  });

  it('names the column and row of a value that does not fit, and leaves no file behind', async () => {
    const path = join(dir, 'bad-value.parquet');
    const rows = [
      { x: 1, s: 'a' },
      { x: 2, s: 'b' },
      { x: 'three', s: 'c' },
    ];
    await expect(writeParquet(fromArray(rows), path)).rejects.toThrow(
      /column 'x' row 2: expected a number \(Float64\), got string "three"/,
    );
    const arrowPath = join(dir, 'bad-value.arrow');
    await expect(writeArrow(fromArray(rows), arrowPath)).rejects.toThrow(/column 'x' row 2/);
    expect(readdirSync(dir).filter((name) => name.startsWith('bad-value'))).toEqual([]);
  });

  it('keeps no partial file when the dataset fails midway', async () => {
    const path = join(dir, 'interrupted.parquet');
    async function* failing() {
      yield { x: ndarray(new Float32Array(100)) };
      throw new Error('upstream broke');
    }
    await expect(writeParquet(failing(), path, { rowGroupSize: 10 })).rejects.toThrow(/upstream broke/);
    expect(readdirSync(dir).filter((name) => name.startsWith('interrupted.parquet'))).toEqual([]);
  });

  it('accepts codec names in any case and uncompressed for none', async () => {
    for (const compression of ['ZSTD', 'uncompressed'] as never[]) {
      const path = join(dir, `alias-${String(compression)}.parquet`);
      await writeParquet(fromArray([{ x: 1 }]), path, { compression });
      expect(await readRows(new ParquetSource(path))).toEqual([{ x: 1 }]);
    }
  });

  it('rejects an unknown codec and an empty dataset with clear errors', async () => {
    await expect(
      writeParquet(fromArray([{ x: 1 }]), join(dir, 'c.parquet'), { compression: 'lzo' as never }),
    ).rejects.toThrow(/unknown compression "lzo"/);
    await expect(writeParquet(fromArray([]), join(dir, 'e.parquet'))).rejects.toThrow(/produced no rows/);
  });

  it('names the sink and its option for a bad size or input mode', async () => {
    await expect(writeParquet(fromArray([{ x: 1 }]), join(dir, 's.parquet'), { rowGroupSize: 0 })).rejects.toThrow(
      /writeParquet: rowGroupSize must be a positive integer, got 0/,
    );
    await expect(writeArrow(fromArray([{ x: 1 }]), join(dir, 's.arrow'), { batchSize: 1.5 })).rejects.toThrow(
      /writeArrow: batchSize must be a positive integer, got 1.5/,
    );
    await expect(writeArrow(fromArray([{ x: 1 }]), join(dir, 's.arrow'), { input: 'row' as never })).rejects.toThrow(
      /writeArrow: input must be 'auto', 'rows' or 'batches', got "row"/,
    );
    expect(existsSync(join(dir, 's.parquet')) || existsSync(join(dir, 's.arrow'))).toBe(false);
  });

  it('names a bad output path before writing anything', async () => {
    await expect(writeParquet(fromArray([{ x: 1 }]), join(dir, 'absent-dir', 'x.parquet'))).rejects.toThrow(
      /writeParquet\('.*x\.parquet'\): directory '.*absent-dir' does not exist/,
    );
    await expect(writeArrow(fromArray([{ x: 1 }]), 42 as never)).rejects.toThrow(
      /writeArrow: path must be a non-empty string, got 42/,
    );
    expect(readdirSync('.').filter((name) => name.startsWith('42'))).toEqual([]);
  });
});
