import { describe, expect, it } from 'vitest';
import { NDArray, ndarray } from '@tsflow/core';
import { Dataset } from '../dataset.js';

const values = (x: unknown): unknown => (x instanceof NDArray ? x.toArray() : Array.isArray(x) ? x.map(values) : x);
const collect = async (ds: Dataset<unknown>): Promise<unknown[]> => (await ds.toArray()).map(values);

describe('paddedBatch', () => {
  it('paddedBatch pads ragged rows', async () => {
    const ds = Dataset.fromArray([[1], [2, 3], [4, 5, 6], [7]]).paddedBatch(2, { paddingValue: -1 });
    expect(await collect(ds)).toEqual([
      [
        [1, -1],
        [2, 3],
      ],
      [
        [4, 5, 6],
        [7, -1, -1],
      ],
    ]);
    const images = Dataset.fromArray([ndarray([[1, 2]]), ndarray([[3], [4]])]).paddedBatch(2);
    expect(await collect(images)).toEqual([
      [
        [
          [1, 2],
          [0, 0],
        ],
        [
          [3, 0],
          [4, 0],
        ],
      ],
    ]);
  });

  it('paddedBatch of objects mixed with null or other shapes: a named error, not a TypeError', async () => {
    await expect(
      Dataset.fromArray<unknown>([{ a: [1] }, null])
        .paddedBatch(2)
        .toArray(),
    ).rejects.toThrow(
      /^Error in PaddedBatch\(2\) \(stage 2 of 'FromArray\(2\) -> PaddedBatch\(2\)'\): PaddedBatch\(2\) cannot batch mixed elements: element 0 is an object with field 'a' but element 1 is null$/,
    );
    await expect(
      Dataset.fromArray<unknown>([{ a: [1] }, [1]])
        .paddedBatch(2)
        .toArray(),
    ).rejects.toThrow(
      /PaddedBatch\(2\) cannot batch mixed elements: element 0 is an object with field 'a' but element 1 is an array of length 1$/,
    );
    await expect(
      Dataset.fromArray<unknown>([['x', [1]], ['y']])
        .paddedBatch(2)
        .toArray(),
    ).rejects.toThrow(
      /PaddedBatch\(2\) cannot batch mixed elements: element 0 is an array of length 2 but element 1 is an array of length 1$/,
    );
  });
});
