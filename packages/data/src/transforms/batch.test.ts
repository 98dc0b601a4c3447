import { describe, expect, it } from 'vitest';
import { type NDArray, ndarray } from '@tsflow/core';
import { Dataset } from '../dataset.js';

const batchesAsArrays = async (ds: Dataset<unknown>) => (await ds.toArray()).map((b) => (b as NDArray).toArray());

describe('batch', () => {
  it('batch: range(8).batch(3) -> [0,1,2] [3,4,5] [6,7]', async () => {
    expect(await batchesAsArrays(Dataset.range(8).batch(3))).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7],
    ]);
    expect(await batchesAsArrays(Dataset.range(8).batch(3, { dropRemainder: true }))).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    const first = (await Dataset.range(8).batch(3).toArray())[0]!;
    expect(first.dtype).toBe('float32');
    expect(first.shape).toEqual([3]);
  });

  it('stacks NDArrays, objects, tuples and strings', async () => {
    const rows = [0, 1, 2].map((i) => ({ x: ndarray([i, i + 0.5]), y: i, name: `r${i}` }));
    const [batch] = (await Dataset.fromArray(rows).batch(3).toArray()) as unknown as {
      x: NDArray;
      y: NDArray;
      name: string[];
    }[];
    expect(batch!.x.shape).toEqual([3, 2]);
    expect(batch!.x.toArray()).toEqual([
      [0, 0.5],
      [1, 1.5],
      [2, 2.5],
    ]);
    expect(batch!.y.dtype).toBe('float32');
    expect(batch!.name).toEqual(['r0', 'r1', 'r2']);
    const [pairs] = (await Dataset.range(2).enumerate().batch(2).toArray()) as unknown as NDArray[][];
    expect(pairs!.map((p) => p.toArray())).toEqual([
      [0, 1],
      [0, 1],
    ]);
  });

  it('keeps int32 when the elements are int32 NDArrays', async () => {
    const [batch] = await Dataset.fromArray([ndarray(1, { dtype: 'int32' }), ndarray(2, { dtype: 'int32' })])
      .batch(2)
      .toArray();
    expect(batch!.dtype).toBe('int32');
    expect(batch!.shape).toEqual([2]);
  });

  it('ragged NDArrays: a clear error naming the stage and shapes, pointing at paddedBatch', async () => {
    const ds = Dataset.fromArray([ndarray([1, 2]), ndarray([1, 2, 3])]).batch(2);
    await expect(ds.toArray()).rejects.toThrow(
      /Error in Batch\(2\) \(stage 2 of 'FromArray\(2\) -> Batch\(2\)'\): Batch\(2\) cannot batch NDArrays of different shapes \[2\] and \[3\].*use paddedBatch/,
    );
  });

  it('Dates batch to a Date[] (as timestamp columns do) and unbatch back, not to {}', async () => {
    const rows = [
      { t: new Date(1), x: 1 },
      { t: new Date(2), x: 2 },
    ];
    const [batch] = (await Dataset.fromArray(rows).batch(2).toArray()) as unknown as { t: Date[]; x: NDArray }[];
    expect(batch!.t).toEqual([new Date(1), new Date(2)]);
    const [padded] = (await Dataset.fromArray([
      { t: new Date(3), x: [1] },
      { t: new Date(4), x: [2, 3] },
    ])
      .paddedBatch(2)
      .toArray()) as unknown as { t: Date[] }[];
    expect(padded!.t).toEqual([new Date(3), new Date(4)]);
    const back = (await Dataset.fromArray(rows).batch(2).unbatch().toArray()) as { t: Date; x: number }[];
    expect(back).toEqual(rows);
    expect(
      await Dataset.fromArray([{ s: ['a', null] }])
        .unbatch()
        .toArray(),
    ).toEqual([{ s: 'a' }, { s: null }]);
    await expect(
      Dataset.fromArray<unknown>([new Date(1), 5])
        .batch(2)
        .toArray(),
    ).rejects.toThrow(/Batch\(2\) cannot batch mixed elements: element 0 is a Date but element 1 is a number \(5\)$/);
  });

  it('batching undefined names it plainly', async () => {
    await expect(Dataset.fromArray<unknown>([undefined]).batch(1).toArray()).rejects.toThrow(
      /^Error in Batch\(1\) \(stage 2 of 'FromArray\(1\) -> Batch\(1\)'\): Batch\(1\) cannot batch undefined$/,
    );
    await expect(Dataset.fromArray<unknown>([1, undefined]).batch(2).toArray()).rejects.toThrow(
      /Batch\(2\) cannot batch mixed elements: element 0 is a number but element 1 is undefined$/,
    );
  });
});
