import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset.js';

describe('flatMap', () => {
  it('flatMap concatenates the inner datasets', async () => {
    expect(
      await Dataset.range(1, 4)
        .flatMap((x) => Dataset.range(x))
        .toArray(),
    ).toEqual([0, 0, 1, 0, 1, 2]);
  });

  it('is named FlatMap in the pipeline summary', () => {
    expect(
      Dataset.range(2)
        .flatMap((x) => Dataset.range(x))
        .summary(),
    ).toBe('Range(0, 2) -> FlatMap');
  });
});
