import { describe, expect, it } from 'vitest';
import { DeadlineExceededError } from '@tsflow/core';
import { Dataset } from '@tsflow/data';
import { failureOf } from '../fixtures.js';

const never = () => new Promise<number>(() => undefined);
const spinWorker = new URL('./spin_worker.mjs', import.meta.url);

describe('per-element timeout: no pass hangs on one element', () => {
  it('parallel map: a call that never settles fails the pass naming the element', async () => {
    const ds = Dataset.range(5).map((x) => (x === 2 ? never() : Promise.resolve(x)), { parallelism: 2, timeout: 50 });
    const error = await failureOf(ds.toArray());
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error.message).toMatch(
      /^Error in ParallelMap \(stage 2 of 'Range\(0, 5\) -> ParallelMap'\): element 2 of this pass did not finish within the timeout of 50 ms$/,
    );
  });

  it('serial map takes the same option', async () => {
    const error = await failureOf(
      Dataset.range(3)
        .map((x) => (x === 1 ? never() : x), { timeout: 30 })
        .toArray(),
    );
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error.message).toMatch(/Error in Map .*: element 1 of this pass did not finish within the timeout of 30 ms/);
    expect(
      await Dataset.range(3)
        .map(async (x) => x + 1, { timeout: 1000 })
        .toArray(),
    ).toEqual([1, 2, 3]);
    expect(() => Dataset.range(3).map((x) => x, { timeout: 0 })).toThrow(
      /map: timeout must be a positive number of milliseconds, got 0/,
    );
  });

  it.each(['spinOnOne', 'neverSettlesOnOne'])(
    'mapInWorkers: a worker that %s is terminated and the pass fails naming the element',
    async (exportName) => {
      const ds = Dataset.range(4).mapInWorkers(spinWorker, { exportName, workers: 2, timeout: 1000 });
      const error = await failureOf(ds.toArray());
      expect(error).toBeInstanceOf(DeadlineExceededError);
      expect(error.message).toMatch(
        new RegExp(
          `element 1 of this pass did not finish within the timeout of 1000 ms; its worker \\(running ${exportName} from .*spin_worker\\.mjs\\) was terminated`,
        ),
      );
    },
  );
});
