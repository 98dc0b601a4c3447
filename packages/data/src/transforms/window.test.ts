import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset.js';

describe('window', () => {
  it('window(3, { shift: 1, dropRemainder: true }) over range(7) -> 5 windows', async () => {
    const windows = await Dataset.range(7).window(3, { shift: 1, dropRemainder: true }).toArray();
    expect(windows).toHaveLength(5);
    expect(await Promise.all(windows.map((w) => w.toArray()))).toEqual([
      [0, 1, 2],
      [1, 2, 3],
      [2, 3, 4],
      [3, 4, 5],
      [4, 5, 6],
    ]);
    const all = await Dataset.range(7)
      .window(3, { shift: 1 })
      .flatMap((w) => w.batch(3))
      .toArray();
    expect(all.map((b) => b.toArray())).toEqual([[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6], [5, 6], [6]]);
    const strided = await Dataset.range(7)
      .window(2, { shift: 3, stride: 2 })
      .flatMap((w) => w)
      .toArray();
    expect(strided).toEqual([0, 2, 3, 5, 6]);
  });
});
