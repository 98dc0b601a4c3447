import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset.js';

describe('skip', () => {
  it('skip', async () => {
    expect(await Dataset.range(10).skip(7).toArray()).toEqual([7, 8, 9]);
    expect(await Dataset.range(3).skip(5).toArray()).toEqual([]);
    expect(await Dataset.range(3).skip(-1).toArray()).toEqual([]);
  });
});
