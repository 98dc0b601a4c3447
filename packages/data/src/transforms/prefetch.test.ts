import { describe, expect, it } from 'vitest';
import { NDArray } from '@tsflow/core';
import { Dataset } from '../dataset.js';

const values = (x: unknown): unknown => (x instanceof NDArray ? x.toArray() : Array.isArray(x) ? x.map(values) : x);
const collect = async (ds: Dataset<unknown>): Promise<unknown[]> => (await ds.toArray()).map(values);

/** One turn of the event loop: lets timer-free async work (promise chains, setImmediate) progress. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('prefetch', () => {
  it('overlaps producer and consumer: the next element is produced while the consumer works', async () => {
    const events: string[] = [];
    const ds = Dataset.range(3)
      .map(async (x) => {
        await nextTurn();
        events.push(`produced ${x}`);
        return x;
      })
      .prefetch(1);
    for await (const x of ds) {
      // The consumer's work: a few event-loop turns (no wall clock), then it is finished.
      for (let turn = 0; turn < 5; turn++) await nextTurn();
      events.push(`finished ${x}`);
    }
    // Without prefetch, element 1 would only be requested after the consumer finished element 0.
    expect(events.indexOf('produced 1')).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('produced 1')).toBeLessThan(events.indexOf('finished 0'));
    expect(events.filter((event) => event.startsWith('finished'))).toEqual(['finished 0', 'finished 1', 'finished 2']);
  });

  it('prefetch keeps order and values', async () => {
    expect(await Dataset.range(20).prefetch(4).toArray()).toEqual([...Array(20).keys()]);
    expect(await Dataset.range(5).prefetch('auto').toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(() => Dataset.range(3).prefetch(0)).toThrow(
      /^prefetch: bufferSize must be a positive integer or 'auto', got 0$/,
    );
  });

  it('cache-less pipelines with map + prefetch + batch compose', async () => {
    const out = await collect(
      Dataset.range(10)
        .map((x) => x + 1)
        .prefetch(2)
        .batch(4),
    );
    expect(out).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
    ]);
  });
});
