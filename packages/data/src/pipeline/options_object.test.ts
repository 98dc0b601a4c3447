import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset.js';

describe('options given positionally (plain JavaScript callers)', () => {
  it('are refused with an error naming the call and the object it takes, never ignored', async () => {
    const ds = Dataset.range(10);
    expect(() => ds.batch(3, true as never)).toThrow(
      /^batch: options must be an object such as \{ dropRemainder: true \}, got a boolean \(true\)$/,
    );
    expect(() => ds.shuffle(10, 42 as never)).toThrow(
      /^shuffle: options must be an object such as \{ seed: 42 \}, got a number \(42\)$/,
    );
    expect(() => ds.map((x) => x, 4 as never)).toThrow(/^map: options must be an object such as \{ parallelism: 4 \}/);
    expect(() => Dataset.fromParquet('x.parquet', ['a'] as never)).toThrow(
      /^fromParquet: options must be an object such as \{ columns: \['x'\] \}, got an array of length 1$/,
    );
    await expect(ds.writeParquet('out.parquet', 'zstd' as never)).rejects.toThrow(
      /^writeParquet: options must be an object such as \{ compression: 'zstd' \}/,
    );
    await expect(ds.count('auto' as never)).rejects.toThrow(
      /^count: options must be an object such as \{ progress: 'auto' \}/,
    );
  });

  it('objects and omitted options still work', async () => {
    expect((await Dataset.range(10).batch(3, { dropRemainder: true }).toArray()).length).toBe(3);
    expect(await Dataset.range(10).shuffle(10).count()).toBe(10);
  });
});
