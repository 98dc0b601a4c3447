import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset.js';

describe('scan', () => {
  it('scan: running sum over range(10), both function styles', async () => {
    const expected = [0, 1, 3, 6, 10, 15, 21, 28, 36, 45];
    expect(
      await Dataset.range(10)
        .scan(0, (sum, x) => sum + x)
        .toArray(),
    ).toEqual(expected);
    expect(
      await Dataset.range(10)
        .scan(0, (sum, x) => [sum + x, sum + x] as const)
        .toArray(),
    ).toEqual(expected);
    // tf.data style with an output different from the state.
    expect(
      await Dataset.range(4)
        .scan(0, (count, x) => [count + 1, `${count}:${x}`] as const)
        .toArray(),
    ).toEqual(['0:0', '1:1', '2:2', '3:3']);
  });
});
