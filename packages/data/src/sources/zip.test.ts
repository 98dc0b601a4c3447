import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset.js';

describe('zip', () => {
  it('zip stops at the shortest, as arrays or objects', async () => {
    expect(await Dataset.zip([Dataset.range(3), Dataset.fromArray(['a', 'b', 'c', 'd'])]).toArray()).toEqual([
      [0, 'a'],
      [1, 'b'],
      [2, 'c'],
    ]);
    expect(await Dataset.zip({ n: Dataset.range(5), s: Dataset.fromArray(['a', 'b']) }).toArray()).toEqual([
      { n: 0, s: 'a' },
      { n: 1, s: 'b' },
    ]);
  });

  it('an error inside a zip input names that stage and its position', async () => {
    const ds = Dataset.zip([
      Dataset.range(3),
      Dataset.range(3).map((x) => {
        if (x === 1) throw new Error('broken input');
        return x;
      }),
    ]);
    await expect(ds.toArray()).rejects.toThrow(
      /^Error in Map \(stage 3 of 'Zip\(Range\(0, 3\), Range\(0, 3\) -> Map\)'\): broken input$/,
    );
  });
});
