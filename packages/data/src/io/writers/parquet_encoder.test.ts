import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Dataset } from '../../dataset.js';

const dir = mkdtempSync(join(tmpdir(), 'tsflow-encoder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Parquet encoding on a worker thread', () => {
  it('writes several files at once, each whole, and again after (the idle worker is reused)', async () => {
    const jobs = [0, 1, 2].map((k) =>
      Dataset.range(50_000)
        .map((i) => ({ i, k }))
        .writeParquet(join(dir, `part-${k}.parquet`), { rowGroupSize: 10_000 }),
    );
    expect((await Promise.all(jobs)).map((result) => result.rows)).toEqual([50_000, 50_000, 50_000]);
    for (const k of [0, 1, 2]) {
      const rows = await Dataset.fromParquet<{ i: number; k: number }>(join(dir, `part-${k}.parquet`)).toArray();
      expect(rows.length).toBe(50_000);
      expect(rows.every((row, n) => row.i === n && row.k === k)).toBe(true);
    }
    await Dataset.range(10)
      .map((i) => ({ i }))
      .writeParquet(join(dir, 'after.parquet'));
    expect(await Dataset.fromParquet(join(dir, 'after.parquet')).count()).toBe(10);
  });

  it('a failure after row groups were encoded leaves nothing behind, and the next write works', async () => {
    const failing = Dataset.range(30_000).map((i) => {
      if (i === 25_000) throw new Error('bad row');
      return { i };
    });
    await expect(failing.writeParquet(join(dir, 'failed.parquet'), { rowGroupSize: 5_000 })).rejects.toThrow(/bad row/);
    expect(readdirSync(dir).filter((name) => name.startsWith('failed.parquet'))).toEqual([]);
    await Dataset.range(5)
      .map((i) => ({ i }))
      .writeParquet(join(dir, 'next.parquet'));
    expect(await Dataset.fromParquet(join(dir, 'next.parquet')).count()).toBe(5);
  });
});
