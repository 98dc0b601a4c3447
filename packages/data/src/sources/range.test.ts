import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset.js';

describe('range', () => {
  it('range follows Python/tf.data semantics', async () => {
    expect(await Dataset.range(5, 1, -2).toArray()).toEqual([5, 3]);
    expect(await Dataset.range(1, 5).toArray()).toEqual([1, 2, 3, 4]);
    expect(await Dataset.range(1, 5, 2).toArray()).toEqual([1, 3]);
    expect(await Dataset.range(0).toArray()).toEqual([]);
    expect(() => Dataset.range(0, 5, 0)).toThrow(/range: step must not be zero/);
  });
});
