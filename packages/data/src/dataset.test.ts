import { describe, expect, it } from 'vitest';
import type { NDArray } from '@tsflow/core';
import { Dataset } from './dataset.js';

const batchesAsArrays = async (ds: Dataset<unknown>) => (await ds.toArray()).map((b) => (b as NDArray).toArray());

describe('Dataset basics', () => {
  it('is lazy: building a pipeline runs nothing', async () => {
    let calls = 0;
    const ds = Dataset.range(5).map((x) => {
      calls++;
      return x;
    });
    expect(calls).toBe(0);
    expect(await ds.toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(calls).toBe(5);
  });

  it('is re-iterable: every for-await is a fresh pass', async () => {
    const ds = Dataset.range(3);
    const seen: number[] = [];
    for await (const x of ds) seen.push(x);
    for await (const x of ds) seen.push(x);
    expect(seen).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('range follows Python/tf.data semantics', async () => {
    expect(await Dataset.range(5, 1, -2).toArray()).toEqual([5, 3]);
    expect(await Dataset.range(1, 5).toArray()).toEqual([1, 2, 3, 4]);
    expect(await Dataset.range(1, 5, 2).toArray()).toEqual([1, 3]);
    expect(await Dataset.range(0).toArray()).toEqual([]);
    expect(() => Dataset.range(0, 5, 0)).toThrow(/range: step must not be zero/);
  });

  it('map runs sync and async functions in order', async () => {
    expect(await Dataset.range(4).map((x) => x * 2).toArray()).toEqual([0, 2, 4, 6]);
    const asyncDs = Dataset.range(4).map(async (x) => {
      await new Promise((resolve) => setTimeout(resolve, (4 - x) * 2));
      return x + 10;
    });
    expect(await asyncDs.toArray()).toEqual([10, 11, 12, 13]);
  });

  it('batch: range(8).batch(3) -> [0,1,2] [3,4,5] [6,7]', async () => {
    expect(await batchesAsArrays(Dataset.range(8).batch(3))).toEqual([[0, 1, 2], [3, 4, 5], [6, 7]]);
    expect(await batchesAsArrays(Dataset.range(8).batch(3, { dropRemainder: true }))).toEqual([[0, 1, 2], [3, 4, 5]]);
    const first = (await Dataset.range(8).batch(3).toArray())[0]!;
    expect(first.dtype).toBe('float32');
    expect(first.shape).toEqual([3]);
  });

  it('reduce folds with sync or async functions', async () => {
    expect(await Dataset.range(5).reduce(0, (sum, x) => sum + x)).toBe(10);
    expect(await Dataset.range(5).reduce(1, async (product, x) => product * (x + 1))).toBe(120);
  });

  it('apply runs a reusable transformation', async () => {
    const evensDoubled = (ds: Dataset<number>) => ds.filter((x) => x % 2 === 0).map((x) => x * 2);
    expect(await Dataset.range(6).apply(evensDoubled).toArray()).toEqual([0, 4, 8]);
    expect(() => Dataset.range(1).apply(() => 5 as never)).toThrow(/apply: the transformation must return a Dataset, got number/);
  });

  it('summary prints the pipeline', () => {
    expect(Dataset.range(10).map((x) => x).batch(3).summary()).toBe('Range(0, 10) -> Map -> Batch(3)');
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
    expect((failure as Error).message).toMatch(/^Error in Map \(stage 2 of 'Range\(0, 10\) -> Map -> Batch\(3\)'\): boom at 3$/);
    expect((failure as Error).cause).toBe(boom);
  });
});
