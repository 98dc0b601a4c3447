import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type NDArray, ndarray } from '@tsflow/core';
import { Dataset } from '../dataset.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsflow-cache-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function counting() {
  const counter = { calls: 0 };
  const ds = Dataset.range(5).map((x) => {
    counter.calls++;
    return {
      x: ndarray([x, x / 3], { dtype: 'float32' }),
      id: ndarray(x, { dtype: 'int32' }),
      name: `n${x}`,
      nan: x === 0 ? NaN : x,
    };
  });
  return { ds, counter };
}

const plain = (rows: unknown[]) =>
  rows.map((row) => {
    const r = row as { x: NDArray; id: NDArray; name: string; nan: number };
    return {
      x: Array.from(r.x.data),
      xDtype: r.x.dtype,
      id: r.id.toArray(),
      idDtype: r.id.dtype,
      name: r.name,
      nan: r.nan,
    };
  });

describe('cache', () => {
  it('in memory: runs the upstream once, later passes replay', async () => {
    const { ds, counter } = counting();
    const cached = ds.cache();
    const first = await cached.toArray();
    const second = await cached.toArray();
    expect(counter.calls).toBe(5);
    expect(plain(second)).toEqual(plain(first));
    expect(cached.summary()).toBe('Range(0, 5) -> Map -> Cache');
  });

  it('a partial first pass records nothing', async () => {
    const { ds, counter } = counting();
    const cached = ds.cache();
    await cached.take(2).toArray();
    expect(await cached.count()).toBe(5);
    expect(await cached.count()).toBe(5);
    expect(counter.calls).toBe(2 + 5);
  });

  it('to a file: written during the first pass, read on later passes (also by a new Dataset), NDArrays exact', async () => {
    const path = join(dir, 'rows.cache');
    const { ds, counter } = counting();
    const first = await ds.cache(path).toArray();
    expect(existsSync(path)).toBe(true);
    const other = counting();
    const replay = await other.ds.cache(path).toArray();
    expect(other.counter.calls).toBe(0);
    expect(counter.calls).toBe(5);
    expect(plain(replay)).toEqual(plain(first));
    expect((replay[1] as { x: NDArray }).x.data[1]).toBe(Math.fround(1 / 3));
  });

  it('an interrupted file pass never leaves a complete-looking file', async () => {
    const path = join(dir, 'rows.cache');
    const { ds } = counting();
    const it1 = ds.cache(path).iterator();
    await it1.next();
    await it1.next();
    await it1.close();
    expect(readdirSync(dir)).toEqual([]);
    const failing = Dataset.range(5)
      .map((x) => {
        if (x === 3) throw new Error('disk full');
        return x;
      })
      .cache(path);
    await expect(failing.toArray()).rejects.toThrow(/disk full/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a file written by another pipeline', async () => {
    const path = join(dir, 'rows.cache');
    await Dataset.range(3).cache(path).toArray();
    await expect(Dataset.range(4).cache(path).toArray()).rejects.toThrow(
      /cache file .*rows\.cache was written by another pipeline/,
    );
    writeFileSync(join(dir, 'junk.cache'), 'not json\n');
    await expect(Dataset.range(4).cache(join(dir, 'junk.cache')).toArray()).rejects.toThrow(/its header is not json/);
  });

  it('resumes in the middle of a replay', async () => {
    const path = join(dir, 'n.cache');
    const build = () => Dataset.range(10).cache(path);
    await build().toArray();
    const it1 = build().iterator();
    for (let i = 0; i < 4; i++) await it1.next();
    const state = JSON.parse(JSON.stringify(it1.saveState()));
    await it1.close();
    const rest: number[] = [];
    for await (const x of build().iterator({ state })) rest.push(x);
    expect(rest).toEqual([4, 5, 6, 7, 8, 9]);
  });
  it('replays non-ASCII strings exactly when they straddle the file read chunks', async () => {
    const path = join(dir, 'text.cache');
    // Multi-byte characters at every offset, over several 64 KiB read chunks.
    const rows = Array.from({ length: 3000 }, (_, i) => `${'é'.repeat(i % 7)}€${i}😀`.repeat(20));
    const build = () => Dataset.fromArray(rows).cache(path);
    expect(await build().toArray()).toEqual(rows);
    expect(await build().toArray()).toEqual(rows);
  });
});
