import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset.js';

describe('interleave', () => {
  it('interleave with cycleLength 2, blockLength 4 follows tf.data order', async () => {
    const ds = Dataset.range(1, 6).interleave((x) => Dataset.fromArray([x]).repeat(6), {
      cycleLength: 2,
      blockLength: 4,
    });
    expect(await ds.toArray()).toEqual([
      1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 3, 3, 4, 4, 5, 5, 5, 5, 5, 5,
    ]);
    const parallel = Dataset.range(1, 6).interleave((x) => Dataset.fromArray([x]).repeat(6), {
      cycleLength: 2,
      blockLength: 4,
      parallelism: 2,
    });
    expect(await parallel.toArray()).toEqual(await ds.toArray());
  });

  it('interleave closed while its input pull is awaited opens no inner dataset', async () => {
    let opened = 0;
    const input = Dataset.fromGenerator(async function* slow() {
      await new Promise((resolve) => setTimeout(resolve, 20));
      yield 1;
    });
    const it = input
      .interleave(
        (x) => {
          opened++;
          return Dataset.range(x);
        },
        { cycleLength: 1 },
      )
      .iterator();
    const pending = it.next();
    await it.close();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(opened).toBe(0);
  });
});
