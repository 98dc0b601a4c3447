import { describe, expect, it } from 'vitest';
import { type NDArray, ndarray } from '@tsflow/core';
import { Dataset } from '../dataset.js';

describe('fromTensorSlices', () => {
  it('fromTensorSlices slices NDArrays, nested arrays and objects along dim 0', async () => {
    const x = ndarray([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const rows = await Dataset.fromTensorSlices<NDArray>(x).toArray();
    expect(rows.map((row) => row.toArray())).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(rows[0]!.shape).toEqual([2]);
    expect(await Dataset.fromTensorSlices([1, 2, 3]).toArray()).toEqual([1, 2, 3]);
    const labels = ndarray([0, 1, 0], { dtype: 'int32' });
    const pairs = (await Dataset.fromTensorSlices({ x, y: labels }).toArray()) as { x: NDArray; y: NDArray }[];
    expect(pairs.map((p) => [p.x.toArray(), p.y.item()])).toEqual([
      [[1, 2], 0],
      [[3, 4], 1],
      [[5, 6], 0],
    ]);
    // int32 rows stay int32 through batch (and unbatch).
    const [batch] = (await Dataset.fromTensorSlices({ x, y: labels }).batch(3).toArray()) as unknown as {
      x: NDArray;
      y: NDArray;
    }[];
    expect(batch!.y.dtype).toBe('int32');
    expect(batch!.x.shape).toEqual([3, 2]);
    const again = (await Dataset.fromArray([labels]).unbatch().batch(3).toArray()) as unknown as NDArray[];
    expect(again[0]!.dtype).toBe('int32');
    expect(again[0]!.toArray()).toEqual([0, 1, 0]);
    expect(() => Dataset.fromTensorSlices({ x, y: ndarray([1, 2]) })).toThrow(
      /same first dimension, but value\.x has 3 and value\.y has 2/,
    );
  });
});
