import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset.js';

describe('map', () => {
  it('map runs sync and async functions in order', async () => {
    expect(
      await Dataset.range(4)
        .map((x) => x * 2)
        .toArray(),
    ).toEqual([0, 2, 4, 6]);
    const asyncDs = Dataset.range(4).map(async (x) => {
      await new Promise((resolve) => setTimeout(resolve, (4 - x) * 2));
      return x + 10;
    });
    expect(await asyncDs.toArray()).toEqual([10, 11, 12, 13]);
  });

  it('a throwing map function surfaces at iteration naming the stage, with the cause', async () => {
    const boom = new Error('boom at 3');
    const ds = Dataset.range(10)
      .map((x) => {
        if (x === 3) throw boom;
        return x;
      })
      .batch(3);
    const failure = await ds.toArray().catch((error: unknown) => error as Error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(
      /^Error in Map \(stage 2 of 'Range\(0, 10\) -> Map -> Batch\(3\)'\): boom at 3$/,
    );
    expect((failure as Error).cause).toBe(boom);
  });
});
