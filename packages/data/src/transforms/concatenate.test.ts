import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset.js';

describe('concatenate', () => {
  it('concatenate appends', async () => {
    expect(await Dataset.range(1, 4).concatenate(Dataset.range(4, 8)).toArray()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
