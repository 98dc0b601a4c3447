import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset.js';
import { DatasetError } from '../pipeline/stage_errors.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('map with parallelism', () => {
  it('runs async functions concurrently up to parallelism, keeping order', async () => {
    let running = 0;
    let maxRunning = 0;
    const ds = Dataset.range(12).map(
      async (x) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await sleep((12 - x) % 4);
        running--;
        return x * 10;
      },
      { parallelism: 4 },
    );
    expect(await ds.toArray()).toEqual([...Array(12).keys()].map((x) => x * 10));
    expect(maxRunning).toBe(4);
  });

  it('ordered: false yields results as they finish', async () => {
    const ds = Dataset.fromArray([30, 1, 15]).map(
      async (ms) => {
        await sleep(ms);
        return ms;
      },
      { parallelism: 3, ordered: false },
    );
    expect(await ds.toArray()).toEqual([1, 15, 30]);
  });

  it('is bounded: an infinite upstream is pulled at most parallelism ahead', async () => {
    let pulled = 0;
    const ds = Dataset.range(1e12)
      .map((x) => {
        pulled++;
        return x;
      })
      .map(async (x) => x, { parallelism: 3 })
      .prefetch(2);
    const it = ds.iterator();
    for (let i = 0; i < 5; i++) await it.next();
    await sleep(5);
    expect(pulled).toBeLessThanOrEqual(5 + 3 + 2 + 1);
    await it.close();
  });

  it('a rejecting function surfaces at iteration naming the stage, after the earlier results', async () => {
    const seen: number[] = [];
    const failure = await Dataset.range(10)
      .map(
        async (x) => {
          if (x === 4) throw new TypeError(`bad element ${x}`);
          return x;
        },
        { parallelism: 3 },
      )
      .forEach((x) => {
        seen.push(x);
      })
      .catch((error: unknown) => error as Error);
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(failure).toBeInstanceOf(DatasetError);
    expect(failure!.cause).toBeInstanceOf(TypeError);
    expect(failure!.message).toMatch(
      /^Error in ParallelMap \(stage 2 of 'Range\(0, 10\) -> ParallelMap'\): bad element 4$/,
    );
  });

  it("accepts 'auto' and rejects bad values", async () => {
    expect(
      await Dataset.range(5)
        .map(async (x) => x + 1, { parallelism: 'auto' })
        .toArray(),
    ).toEqual([1, 2, 3, 4, 5]);
    expect(() => Dataset.range(5).map((x) => x, { parallelism: 0 })).toThrow(
      /map: parallelism must be a positive integer or 'auto', got 0/,
    );
  });
});
