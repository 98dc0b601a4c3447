import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset.js';

describe('fromArray', () => {
  it('fromArray keeps items and order', async () => {
    expect(await Dataset.fromArray(['a', 'b', 'c']).toArray()).toEqual(['a', 'b', 'c']);
    expect(() => Dataset.fromArray(5 as never)).toThrow(/fromArray: expected an array, got number/);
  });
});
