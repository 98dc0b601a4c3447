import { describe, expect, it } from 'vitest';
import { Dataset, DatasetError } from '@tsflow/data';
import { failureOf } from '../fixtures.js';

describe('a throwing map function is reported the same way serially and in parallel', () => {
  it.each([1, 3])(
    'parallelism %i: DatasetError with the stage and the original error as cause',
    async (parallelism) => {
      const original = new TypeError("Cannot read properties of undefined (reading '0')");
      const ds = Dataset.range(4).map(
        (x) => {
          if (x === 2) throw original;
          return x;
        },
        { parallelism },
      );
      const error = await failureOf(ds.toArray());
      expect(error).toBeInstanceOf(DatasetError);
      expect(error.cause).toBe(original);
      expect((error as DatasetError).stageLabel).toBe(parallelism === 1 ? 'Map' : 'ParallelMap');
      expect(error.message).toMatch(
        /^Error in (Parallel)?Map \(stage 2 of 'Range\(0, 4\) -> (Parallel)?Map'\): Cannot read properties/,
      );
    },
  );
});
