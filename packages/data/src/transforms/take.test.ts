import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset.js';

describe('take', () => {
  it('take', async () => {
    expect(await Dataset.range(10).take(3).toArray()).toEqual([0, 1, 2]);
    expect(await Dataset.range(4).take(-1).toArray()).toEqual([0, 1, 2, 3]);
  });

  it('take stops pulling upstream once it has enough', async () => {
    let pulled = 0;
    await Dataset.range(100)
      .map((x) => {
        pulled++;
        return x;
      })
      .take(3)
      .toArray();
    expect(pulled).toBe(3);
  });
});
