import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset.js';

describe('takeWhile', () => {
  it('takeWhile', async () => {
    expect(
      await Dataset.range(10)
        .takeWhile((x) => x < 4)
        .toArray(),
    ).toEqual([0, 1, 2, 3]);
  });
});
