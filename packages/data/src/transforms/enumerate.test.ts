import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset.js';

describe('enumerate', () => {
  it('enumerate(5) pairs indices from 5', async () => {
    expect(await Dataset.fromArray(['a', 'b', 'c']).enumerate(5).toArray()).toEqual([
      [5, 'a'],
      [6, 'b'],
      [7, 'c'],
    ]);
  });
});
