import { describe, expect, it } from 'vitest';
import { Dataset } from './dataset.js';

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

  it('reduce folds with sync or async functions', async () => {
    expect(await Dataset.range(5).reduce(0, (sum, x) => sum + x)).toBe(10);
    expect(await Dataset.range(5).reduce(1, async (product, x) => product * (x + 1))).toBe(120);
  });

  it('apply runs a reusable transformation', async () => {
    const evensDoubled = (ds: Dataset<number>) => ds.filter((x) => x % 2 === 0).map((x) => x * 2);
    expect(await Dataset.range(6).apply(evensDoubled).toArray()).toEqual([0, 4, 8]);
    expect(() => Dataset.range(1).apply(() => 5 as never)).toThrow(
      /apply: the transformation must return a Dataset, got number/,
    );
  });

  it('summary prints the pipeline', () => {
    expect(
      Dataset.range(10)
        .map((x) => x)
        .batch(3)
        .summary(),
    ).toBe('Range(0, 10) -> Map -> Batch(3)');
  });
});

describe('consumption', () => {
  it('forEach, reduce, count', async () => {
    const seen: number[] = [];
    await Dataset.range(3).forEach((x) => {
      seen.push(x);
    });
    expect(seen).toEqual([0, 1, 2]);
    expect(await Dataset.range(5).reduce(0, (a, x) => a + x)).toBe(10);
    expect(
      await Dataset.range(7)
        .filter((x) => x > 2)
        .count(),
    ).toBe(4);
  });

  it('breaking out of for-await closes the pass', async () => {
    let finalized = false;
    const ds = Dataset.fromGenerator(function* gen() {
      try {
        yield* [1, 2, 3];
      } finally {
        finalized = true;
      }
    });
    for await (const x of ds) if (x === 1) break;
    expect(finalized).toBe(true);
  });
});

describe('summary and argument errors', () => {
  it('multi-input stages print their inputs', () => {
    const ds = Dataset.zip([Dataset.range(3), Dataset.range(4).map((x) => x)]).batch(2);
    expect(ds.summary()).toBe('Zip(Range(0, 3), Range(0, 4) -> Map) -> Batch(2)');
    expect(Dataset.range(2).concatenate(Dataset.range(1)).summary()).toBe('Concatenate(Range(0, 2), Range(0, 1))');
    expect(Dataset.range(8).shuffle(4).repeat(2).prefetch('auto').summary()).toBe(
      'Range(0, 8) -> Shuffle(4) -> Repeat(2) -> Prefetch(4)',
    );
  });

  it('bad arguments are named at build time', () => {
    expect(() => Dataset.range(3).batch(0)).toThrow(/batch: batchSize must be a positive integer, got 0/);
    expect(() => Dataset.range(3).shuffle(0)).toThrow(/shuffle: bufferSize must be a positive integer, got 0/);
    expect(() => Dataset.range(3).window(0)).toThrow(/window: size must be a positive integer, got 0/);
    expect(() => Dataset.range(3).map(5 as never)).toThrow(/map: expected a function, got number/);
    expect(() => Dataset.range(3).interleave((x) => Dataset.range(x), { cycleLength: 0 })).toThrow(
      /interleave: cycleLength must be a positive integer, got 0/,
    );
    expect(() => Dataset.zip([Dataset.range(1), [1] as never])).toThrow(/zip: expected a Dataset, got object/);
  });
});
