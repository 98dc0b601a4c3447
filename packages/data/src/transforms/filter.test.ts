import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset.js';

describe('filter', () => {
  it('filter', async () => {
    expect(
      await Dataset.range(10)
        .filter((x) => x % 2 === 0)
        .toArray(),
    ).toEqual([0, 2, 4, 6, 8]);
    await expect(
      Dataset.range(3)
        .filter(async () => true)
        .toArray(),
    ).rejects.toThrow(
      /Error in Filter \(stage 2 of 'Range\(0, 3\) -> Filter'\): filter: the predicate returned a Promise/,
    );
  });
});
