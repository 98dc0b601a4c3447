import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset.js';

describe('shard', () => {
  it('shard(3, 0) of range(10) -> 0 3 6 9; shard(3, 1) -> 1 4 7', async () => {
    expect(await Dataset.range(10).shard(3, 0).toArray()).toEqual([0, 3, 6, 9]);
    expect(await Dataset.range(10).shard(3, 1).toArray()).toEqual([1, 4, 7]);
    expect(() => Dataset.range(10).shard(3, 3)).toThrow(/shard: index must be an integer in \[0, 3\), got 3/);
  });
});
