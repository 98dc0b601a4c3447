import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset.js';

describe('repeat', () => {
  it('repeat: finite, infinite, zero', async () => {
    expect(await Dataset.range(3).repeat(2).toArray()).toEqual([0, 1, 2, 0, 1, 2]);
    expect(await Dataset.range(3).repeat().take(7).toArray()).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect(await Dataset.range(3).repeat(0).toArray()).toEqual([]);
    // An empty dataset repeated forever ends instead of spinning.
    expect(await Dataset.range(0).repeat().toArray()).toEqual([]);
  });
});
