import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { NDArray } from '@tsflow/core';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import * as parquetWasm from 'parquet-wasm';
import { Dataset } from '../../dataset.js';
import { tableFromIPC } from 'apache-arrow';
import { parquetDecodeThread } from './decode_thread.js';
import { READ_AHEAD_ROW_GROUPS } from './parquet_chunk_reader.js';

let dir: string;

/** A file of `rows` rows in row groups of `groupRows`: id (int32) = first + i, x (float64) = id / 4. */
function writeFile(name: string, first: number, rows: number, groupRows: number): string {
  const file = join(dir, name);
  const table = tableFromArrays({
    id: Int32Array.from({ length: rows }, (_, i) => first + i),
    x: Float64Array.from({ length: rows }, (_, i) => (first + i) / 4),
  });
  const properties = new parquetWasm.WriterPropertiesBuilder()
    .setCompression(parquetWasm.Compression.SNAPPY)
    .setMaxRowGroupSize(groupRows)
    .setDictionaryEnabled(false)
    .build();
  writeFileSync(
    file,
    parquetWasm.writeParquet(parquetWasm.Table.fromIPCStream(tableToIPC(table, 'stream')), properties),
  );
  return file;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsflow-decode-pool-'));
  parquetDecodeThread.warmUp();
  await vi.waitFor(() => expect(parquetDecodeThread.readyWorkers).toBe(2), { timeout: 20_000, interval: 20 });
});

afterAll(async () => {
  await parquetDecodeThread.stop();
});

describe('fromParquet decode threads: two workers, two row groups ahead, reused buffers', () => {
  it('spreads row groups over both workers and still gives every row in order', async () => {
    const path = writeFile('spread.parquet', 0, 20_000, 1_000);
    const before = parquetDecodeThread.decodedByWorker;
    const ids: number[] = [];
    for await (const batch of Dataset.fromParquet(path, { decodeThread: true }).batch(700))
      ids.push(...Array.from((batch.id as NDArray).data as Int32Array));
    expect(ids).toEqual(Array.from({ length: 20_000 }, (_, i) => i));
    const after = parquetDecodeThread.decodedByWorker;
    expect(after[0]! - before[0]!).toBeGreaterThan(0);
    expect(after[1]! - before[1]!).toBeGreaterThan(0);
  });

  it(`decodes at most ${READ_AHEAD_ROW_GROUPS} row groups ahead of a consumer that waits`, async () => {
    const path = writeFile('ahead.parquet', 0, 10_000, 1_000);
    const sum = () => parquetDecodeThread.decodedByWorker.reduce((a, b) => a + b, 0);
    const before = sum();
    const iterator = Dataset.fromParquet(path, { decodeThread: true }).batch(100).iterator();
    await iterator.next();
    await vi.waitFor(() => expect(sum() - before).toBe(1 + READ_AHEAD_ROW_GROUPS), { timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sum() - before).toBe(1 + READ_AHEAD_ROW_GROUPS);
    for (let i = 0; i < 10; i++) await iterator.next(); // into row group 1: one more is requested
    await vi.waitFor(() => expect(sum() - before).toBe(2 + READ_AHEAD_ROW_GROUPS), { timeout: 10_000 });
    await iterator.close();
  });

  it('reads row groups of changing sizes through reused buffers without stale bytes', async () => {
    // Large, then small, then large row groups across files of one source: buffers from the
    // large ones hold the small ones' files, with old bytes past their end.
    const files = [
      writeFile('sizes-a.parquet', 0, 12_000, 4_000),
      writeFile('sizes-b.parquet', 12_000, 3_000, 500),
      writeFile('sizes-c.parquet', 15_000, 9_000, 4_500),
    ];
    for (const decodeThread of [true, false]) {
      const ids: number[] = [];
      const xs: number[] = [];
      for await (const batch of Dataset.fromParquet(files, { decodeThread }).batch(1024)) {
        ids.push(...Array.from((batch.id as NDArray).data as Int32Array));
        xs.push(...Array.from((batch.x as NDArray).data as Float64Array));
      }
      expect(ids).toEqual(Array.from({ length: 24_000 }, (_, i) => i));
      expect(xs).toEqual(Array.from({ length: 24_000 }, (_, i) => i / 4));
    }
  });

  it('sends the row group needed first to the decoders before the ones read ahead', async () => {
    const path = writeFile('first.parquet', 0, 5_000, 1_000);
    const firstIds: number[] = [];
    const decode = parquetDecodeThread.decode.bind(parquetDecodeThread);
    // The first id in each row group file sent names the row group.
    parquetDecodeThread.decode = (file, offset, batchSize) => {
      const table = tableFromIPC(parquetWasm.readParquet(file, { batchSize: 1, limit: 1 }).intoIPCStream());
      firstIds.push(Number(table.getChild('id')!.get(0)));
      return decode(file, offset, batchSize);
    };
    try {
      for await (const _ of Dataset.fromParquet(path, { decodeThread: true }).batch(5_000));
    } finally {
      Reflect.deleteProperty(parquetDecodeThread, 'decode');
    }
    expect(firstIds).toEqual([0, 1_000, 2_000, 3_000, 4_000]);
  });
});
