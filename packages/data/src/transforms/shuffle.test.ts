import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset.js';

describe('shuffle', () => {
  it('shuffle is a permutation, identity with buffer 1, reproducible with a seed', async () => {
    const shuffled = await Dataset.range(50).shuffle(20, { seed: 7 }).toArray();
    expect([...shuffled].sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
    expect(shuffled).not.toEqual([...Array(50).keys()]);
    expect(await Dataset.range(20).shuffle(1, { seed: 3 }).toArray()).toEqual([...Array(20).keys()]);
    const again = await Dataset.range(50).shuffle(20, { seed: 7 }).toArray();
    expect(again).toEqual(shuffled);
  });

  it('shuffle reshuffles each pass unless told not to', async () => {
    const ds = Dataset.range(30).shuffle(30, { seed: 1 });
    const first = await ds.toArray();
    const second = await ds.toArray();
    expect(second).not.toEqual(first);
    const fixed = Dataset.range(30).shuffle(30, { seed: 1, reshuffleEachIteration: false });
    expect(await fixed.toArray()).toEqual(await fixed.toArray());
    // Epochs of a repeat are shuffled differently too.
    const epochs = await Dataset.range(10).shuffle(10, { seed: 2 }).repeat(2).toArray();
    expect(epochs.slice(0, 10)).not.toEqual(epochs.slice(10));
  });
});
