import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DataLossError, InvalidArgumentError, type NDArray } from '@tsflow/core';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import * as parquetWasm from 'parquet-wasm';
import { Dataset } from '../../dataset.js';
import { parquetFileInfo } from '../parquet_info.js';
import { readParquetFooter } from './footer.js';
import { open } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { parquetDecodeThread } from './decode_thread.js';

const ROWS = 10_000;
const ROW_GROUP = 1_000;
let dir: string;
let path: string;

/** 10 row groups of 1000 rows: x (float64) = i / 8, id (int32) = i. */
function writeFile(): string {
  const file = join(dir, 'groups.parquet');
  const table = tableFromArrays({
    x: Float64Array.from({ length: ROWS }, (_, i) => i / 8),
    id: Int32Array.from({ length: ROWS }, (_, i) => i),
  });
  const properties = new parquetWasm.WriterPropertiesBuilder()
    .setCompression(parquetWasm.Compression.SNAPPY)
    .setMaxRowGroupSize(ROW_GROUP)
    .setDictionaryEnabled(false)
    .build();
  writeFileSync(
    file,
    parquetWasm.writeParquet(parquetWasm.Table.fromIPCStream(tableToIPC(table, 'stream')), properties),
  );
  return file;
}

async function ids(ds: Dataset<Record<string, unknown>>): Promise<number[]> {
  const out: number[] = [];
  for await (const batch of ds.batch(300)) out.push(...Array.from((batch.id as NDArray).data as Int32Array));
  return out;
}

const expected = Array.from({ length: ROWS }, (_, i) => i);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsflow-decode-thread-'));
  path = writeFile();
  parquetDecodeThread.warmUp();
  await vi.waitFor(() => expect(parquetDecodeThread.isReady).toBe(true), { timeout: 20_000, interval: 20 });
});

afterAll(async () => {
  await parquetDecodeThread.stop();
});

describe('fromParquet decodeThread: row groups decoded on a worker thread, one ahead of the consumer', () => {
  it('gives every row in order, the same as decoding on the calling thread, and uses the thread', async () => {
    expect((await parquetFileInfo(path)).rowGroups).toHaveLength(10);
    const before = parquetDecodeThread.decoded;
    expect(await ids(Dataset.fromParquet(path, { decodeThread: true }))).toEqual(expected);
    expect(parquetDecodeThread.decoded - before).toBeGreaterThanOrEqual(9);
    const between = parquetDecodeThread.decoded;
    expect(await ids(Dataset.fromParquet(path, { decodeThread: false }))).toEqual(expected);
    expect(parquetDecodeThread.decoded).toBe(between);
  });

  it('resumes exactly from a state saved mid-row-group while the next one is being decoded', async () => {
    const ds = Dataset.fromParquet(path, { columns: ['id'], decodeThread: true, rowGroups: [1, 2, 4, 9] }).batch(250);
    const iterator = ds.iterator();
    for (let i = 0; i < 6; i++) await iterator.next(); // 1500 rows: halfway through row group 2
    const state = JSON.parse(JSON.stringify(iterator.saveState()));
    await iterator.close();
    const rest: number[] = [];
    for await (const batch of ds.iterator({ state }))
      rest.push(...Array.from((batch.id as NDArray).data as Int32Array));
    const selected = [1, 2, 4, 9].flatMap((group) => expected.slice(group * ROW_GROUP, (group + 1) * ROW_GROUP));
    expect(rest).toEqual(selected.slice(1500));
  });

  it('reports a corrupt later row group when the consumer reaches it, with the file, row group and column', async () => {
    const bytes = readFileSync(path);
    const handle = await open(path, 'r');
    const chunk = (await readParquetFooter(handle, path)).rowGroups[3]!.chunks[0]!;
    await handle.close();
    // Garbage inside row group 3's snappy-compressed x values (past the page header).
    bytes.fill(0xff, chunk.start + 40, chunk.start + 200);
    const broken = join(dir, 'broken.parquet');
    writeFileSync(broken, bytes);
    const seen: number[] = [];
    const read = async () => {
      for await (const batch of Dataset.fromParquet(broken, { decodeThread: true }).batch(500))
        seen.push(...Array.from((batch.id as NDArray).data as Int32Array));
    };
    await expect(read()).rejects.toThrow(
      /Parquet file '.*broken\.parquet' row group 3, column 'x' is corrupt or truncated: .*snappy/,
    );
    await expect(read()).rejects.toThrow(DataLossError);
    expect(seen.slice(0, 3000)).toEqual(expected.slice(0, 3000));
  });

  it('replaces a stopped thread on the next read', async () => {
    await parquetDecodeThread.stop();
    expect(parquetDecodeThread.isReady).toBe(false);
    expect(await ids(Dataset.fromParquet(path, { decodeThread: true }))).toEqual(expected);
    await vi.waitFor(() => expect(parquetDecodeThread.isReady).toBe(true), { timeout: 20_000, interval: 20 });
    const before = parquetDecodeThread.decoded;
    expect(await ids(Dataset.fromParquet(path, { decodeThread: true }))).toEqual(expected);
    expect(parquetDecodeThread.decoded - before).toBeGreaterThanOrEqual(9);
  });

  it('rejects a decodeThread that is not a boolean', () => {
    expect(() => Dataset.fromParquet(path, { decodeThread: 'yes' as unknown as boolean })).toThrow(
      InvalidArgumentError,
    );
    expect(() => Dataset.fromParquet(path, { decodeThread: 1 as unknown as boolean })).toThrow(
      /decodeThread must be a boolean, got 1/,
    );
  });

  it('lets the process exit once reading ends, even when the threads never got a row group', () => {
    // Three row groups of 10 rows are read before the workers have loaded WASM: the workers,
    // started but never used, must not keep the process alive.
    const small = join(dir, 'small.parquet');
    const table = tableFromArrays({ id: Int32Array.from({ length: 30 }, (_, i) => i) });
    const properties = new parquetWasm.WriterPropertiesBuilder().setMaxRowGroupSize(10).build();
    writeFileSync(
      small,
      parquetWasm.writeParquet(parquetWasm.Table.fromIPCStream(tableToIPC(table, 'stream')), properties),
    );
    const dist = new URL('../../../dist/index.js', import.meta.url).href;
    const script = `
      const { Dataset } = await import(${JSON.stringify(dist)});
      let rows = 0;
      for await (const batch of Dataset.fromParquet(${JSON.stringify(small)}, { decodeThread: true }).batch(4))
        rows += batch.id.shape[0];
      console.log('rows', rows);`;
    // A script file, not `-e`: an evaluated module exits when it ends, whatever is still alive.
    const scriptPath = join(dir, 'read-small.mjs');
    writeFileSync(scriptPath, script);
    const child = spawnSync(process.execPath, [scriptPath], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(child.stderr).toBe('');
    expect(child.signal).toBeNull(); // killed by the timeout: the process hung
    expect(child.stdout.trim()).toBe('rows 30');
    expect(child.status).toBe(0);
  });
});
