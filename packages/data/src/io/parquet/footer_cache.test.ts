import { mkdtempSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import * as parquetWasm from 'parquet-wasm';
import { afterEach, describe, expect, it } from 'vitest';
import { Dataset } from '../../dataset.js';
import { parquetFileInfo } from '../parquet_info.js';
import { configureFooterCache, footerCacheSize, readCachedParquetFooter } from './footer_cache.js';

/** An uncompressed, dictionary-free file of one int32 column `v`, `groupRows` rows per row group. */
function parquetBytes(values: number[], groupRows: number): Uint8Array {
  const properties = new parquetWasm.WriterPropertiesBuilder()
    .setCompression(parquetWasm.Compression.UNCOMPRESSED)
    .setDictionaryEnabled(false)
    .setMaxRowGroupSize(groupRows)
    .build();
  const table = parquetWasm.Table.fromIPCStream(tableToIPC(tableFromArrays({ v: Int32Array.from(values) }), 'stream'));
  return parquetWasm.writeParquet(table, properties);
}

async function rowGroupValues(path: string, rowGroup: number): Promise<number[]> {
  const rows = await Dataset.fromParquet(path, { rowGroups: [rowGroup] }).toArray();
  return rows.map((row) => Number(row.v));
}

async function cachedFooter(path: string) {
  const handle = await open(path, 'r');
  try {
    return await readCachedParquetFooter(handle, path);
  } finally {
    await handle.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'tsflow-footer-cache-'));

describe('Parquet footer cache', () => {
  afterEach(() => configureFooterCache());

  it('serves one frozen footer while the file is unchanged', async () => {
    const path = join(dir, 'same.parquet');
    writeFileSync(path, parquetBytes([1, 2, 3, 4, 5, 6], 3));
    const first = await cachedFooter(path);
    expect(await cachedFooter(path)).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.rowGroups) && Object.isFrozen(first.rowGroups[0])).toBe(
      true,
    );
    const info = await parquetFileInfo(path);
    info.rowGroups.pop();
    expect((await parquetFileInfo(path)).rowGroups).toHaveLength(2);
  });

  it('never serves a stale footer for a file rewritten in place, even at the same size', async () => {
    const path = join(dir, 'rewritten.parquet');
    const before = parquetBytes([0, 1, 2, 3, 4, 5, 6, 7], 4);
    const after = parquetBytes([10, 11, 12, 13, 14, 15, 16, 17], 5);
    expect(after.length).toBe(before.length); // the same size: only the mtime tells them apart
    writeFileSync(path, before);
    const { ino } = statSync(path);
    expect((await parquetFileInfo(path)).rowGroups.map((group) => group.numRows)).toEqual([4, 4]);
    expect(await rowGroupValues(path, 1)).toEqual([4, 5, 6, 7]);

    writeFileSync(path, after);
    const mtime = new Date(Date.now() + 60_000);
    utimesSync(path, mtime, mtime);
    expect(statSync(path).ino).toBe(ino);
    expect((await parquetFileInfo(path)).rowGroups.map((group) => group.numRows)).toEqual([5, 3]);
    expect(await rowGroupValues(path, 1)).toEqual([15, 16, 17]);
    expect(await rowGroupValues(path, 0)).toEqual([10, 11, 12, 13, 14]);
  });

  it('keeps at most maxEntries footers and maxBytes of them, least recently used out first', async () => {
    configureFooterCache({ maxEntries: 2 });
    const paths = [0, 1, 2].map((i) => join(dir, `lru-${i}.parquet`));
    for (const [i, path] of paths.entries()) writeFileSync(path, parquetBytes([i, i + 1], 1));
    const first = await cachedFooter(paths[0]!);
    await cachedFooter(paths[1]!);
    expect(await cachedFooter(paths[0]!)).toBe(first); // 0 is now the most recent
    await cachedFooter(paths[2]!); // evicts 1
    expect(footerCacheSize().entries).toBe(2);
    expect(await cachedFooter(paths[0]!)).toBe(first);

    configureFooterCache({ maxBytes: first.footerLength - 1 });
    await cachedFooter(paths[0]!);
    expect(footerCacheSize()).toEqual({ entries: 0, bytes: 0 });
    configureFooterCache({ maxEntries: 0 });
    expect(await cachedFooter(paths[0]!)).not.toBe(await cachedFooter(paths[0]!));
  });
});
