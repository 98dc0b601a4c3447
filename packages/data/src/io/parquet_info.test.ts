import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parquetFileInfo } from './parquet_info.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../../../test-fixtures/parquet/${name}`, import.meta.url));

describe('parquetFileInfo', () => {
  it('reads rows, row groups, codecs and columns from the footer', async () => {
    const info = await parquetFileInfo(fixture('digits.parquet'));
    expect(info.numRows).toBe(1797);
    expect(info.columns.map((c) => c.name)).toEqual(['pixels', 'label']);
    expect(info.columns[0]!.leaves.length).toBe(1);
    expect(info.rowGroups.map((g) => g.numRows).reduce((a, b) => a + b, 0)).toBe(1797);
    expect(info.rowGroups[0]!.codecs).toEqual(['SNAPPY']);
    expect(info.rowGroups[0]!.compressedBytes).toBeGreaterThan(0);
  });

  it('shows codecs per file and nested leaves', async () => {
    const info = await parquetFileInfo(fixture('types/types_zstd.parquet'));
    expect(info.rowGroups[0]!.codecs).toEqual(['ZSTD']);
    expect(info.columns.find((c) => c.name === 'tags')!.leaves[0]).toMatch(/^tags\./);
  });

  it('names missing, truncated and non-Parquet files', async () => {
    await expect(parquetFileInfo(fixture('nope.parquet'))).rejects.toThrow(
      /Parquet file '.*nope\.parquet' could not be opened/,
    );
    await expect(parquetFileInfo(fixture('corrupt/iris_truncated.parquet'))).rejects.toThrow(
      /iris_truncated\.parquet' is truncated or corrupt/,
    );
    await expect(parquetFileInfo(fixture('corrupt/iris_bad_magic.parquet'))).rejects.toThrow(/is not a Parquet file/);
  });
});
