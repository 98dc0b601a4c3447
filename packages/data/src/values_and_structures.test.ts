import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NDArray, ndarray } from '@tsflow/core';
import { Dataset } from './dataset.js';
import { isTuple } from './pipeline/value_arrays.js';

/*
 * API.md "Values and structures": plain arrays of numbers / booleans (nested, equal lengths)
 * are values and stack to [n, ...shape]; zip([...]) and enumerate() arrays are tuples batched
 * position by position; arrays holding objects, NDArrays, strings or Dates are structures.
 */

/** An NDArray as { dtype, shape, values } so that a test checks all three. */
const nd = (x: unknown): unknown => {
  if (!(x instanceof NDArray)) throw new Error(`expected an NDArray, got ${Array.isArray(x) ? 'an array' : typeof x}`);
  return { dtype: x.dtype, shape: x.shape, values: x.toArray() };
};

describe('batch: value arrays stack like NDArrays', () => {
  it('stacks an array field of an object to [n, d] (the issue example)', async () => {
    const [batch] = (await Dataset.fromArray([
      { x: [1, 2], y: 0 },
      { x: [3, 4], y: 1 },
    ])
      .batch(2)
      .toArray()) as { x: unknown; y: unknown }[];
    expect(nd(batch!.x)).toEqual({
      dtype: 'float32',
      shape: [2, 2],
      values: [
        [1, 2],
        [3, 4],
      ],
    });
    expect(nd(batch!.y)).toEqual({ dtype: 'float32', shape: [2], values: [0, 1] });
  });

  it('stacks nested equal-length arrays to [n, ...shape], booleans to bool, from a source or from map', async () => {
    const [matrices] = await Dataset.fromArray([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ])
      .batch(2)
      .toArray();
    expect(nd(matrices)).toEqual({
      dtype: 'float32',
      shape: [2, 2, 2],
      values: [
        [
          [1, 2],
          [3, 4],
        ],
        [
          [5, 6],
          [7, 8],
        ],
      ],
    });
    const [flags] = await Dataset.fromArray([
      [true, false],
      [false, false],
    ])
      .batch(2)
      .toArray();
    expect(nd(flags)).toEqual({
      dtype: 'bool',
      shape: [2, 2],
      values: [
        [true, false],
        [false, false],
      ],
    });
    const mapped = await Dataset.range(3)
      .map((i) => [i, 10 * i])
      .batch(3)
      .toArray();
    expect(nd(mapped[0])).toEqual({
      dtype: 'float32',
      shape: [3, 2],
      values: [
        [0, 0],
        [1, 10],
        [2, 20],
      ],
    });
  });

  it('refuses ragged value arrays naming both shapes and pointing to paddedBatch', async () => {
    const ds = Dataset.fromArray([{ x: [1, 2] }, { x: [3] }]).batch(2);
    await expect(ds.toArray()).rejects.toThrow(InvalidArgumentError);
    await expect(ds.toArray()).rejects.toThrow(
      /cannot batch arrays of different shapes \[2\] and \[1\] \(element 0 and 1 at field x\); use paddedBatch/,
    );
    await expect(
      Dataset.fromArray([
        [1, 2],
        [true, false],
      ])
        .batch(2)
        .toArray(),
    ).rejects.toThrow(/cannot batch arrays of numbers and of booleans together \(element 0 and 1\)/);
    await expect(
      Dataset.fromArray([[1, 2], 'ab'])
        .batch(2)
        .toArray(),
    ).rejects.toThrow(/element 0 is a float32 array of shape \[2\] but element 1 is a string/);
  });

  it('keeps zip([...]) and enumerate() arrays as tuples, batched position by position', async () => {
    const [pair] = await Dataset.zip([Dataset.range(3), Dataset.range(10, 13)])
      .batch(2)
      .toArray();
    expect(Array.isArray(pair)).toBe(true);
    expect((pair as unknown[]).map(nd)).toEqual([
      { dtype: 'float32', shape: [2], values: [0, 1] },
      { dtype: 'float32', shape: [2], values: [10, 11] },
    ]);
    const [indexed] = await Dataset.fromArray([
      [1, 2],
      [3, 4],
    ])
      .enumerate()
      .batch(2)
      .toArray();
    expect((indexed as unknown[]).map(nd)).toEqual([
      { dtype: 'float32', shape: [2], values: [0, 1] },
      {
        dtype: 'float32',
        shape: [2, 2],
        values: [
          [1, 2],
          [3, 4],
        ],
      },
    ]);
  });

  it('keeps arrays holding strings, objects or NDArrays as structures', async () => {
    const [strings] = await Dataset.fromArray([
      ['a', 'b'],
      ['c', 'd'],
    ])
      .batch(2)
      .toArray();
    expect(strings).toEqual([
      ['a', 'c'],
      ['b', 'd'],
    ]);
    const [objects] = await Dataset.fromArray([[{ v: 1 }], [{ v: 2 }]])
      .batch(2)
      .toArray();
    expect((objects as { v: unknown }[]).map((o) => nd(o.v))).toEqual([
      { dtype: 'float32', shape: [2], values: [1, 2] },
    ]);
    const [arrays] = await Dataset.fromArray([
      [ndarray([1]), ndarray([2])],
      [ndarray([3]), ndarray([4])],
    ])
      .batch(2)
      .toArray();
    expect((arrays as unknown[]).map(nd)).toEqual([
      { dtype: 'float32', shape: [2, 1], values: [[1], [3]] },
      { dtype: 'float32', shape: [2, 1], values: [[2], [4]] },
    ]);
  });
});

describe('unbatch and paddedBatch follow the same rule', () => {
  it('unbatch splits value arrays into rows (values again) and tuples into tuples', async () => {
    const rows = await Dataset.fromArray([
      {
        x: [
          [1, 2],
          [3, 4],
        ],
        y: [0, 1],
      },
    ])
      .unbatch()
      .toArray();
    expect(rows).toEqual([
      { x: [1, 2], y: 0 },
      { x: [3, 4], y: 1 },
    ]);
    const [rebatched] = (await Dataset.fromArray([
      {
        x: [
          [1, 2],
          [3, 4],
        ],
        y: [0, 1],
      },
    ])
      .unbatch()
      .batch(2)
      .toArray()) as { x: unknown }[];
    expect(nd(rebatched!.x)).toEqual({
      dtype: 'float32',
      shape: [2, 2],
      values: [
        [1, 2],
        [3, 4],
      ],
    });
    const tuples = await Dataset.zip([Dataset.range(4), Dataset.range(4)])
      .batch(2)
      .unbatch()
      .toArray();
    expect(tuples).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(tuples.every(isTuple)).toBe(true);
    const [again] = await Dataset.zip([Dataset.range(4), Dataset.range(4)])
      .batch(2)
      .unbatch()
      .batch(2)
      .toArray();
    expect((again as unknown[]).map(nd)).toEqual([
      { dtype: 'float32', shape: [2], values: [0, 1] },
      { dtype: 'float32', shape: [2], values: [0, 1] },
    ]);
  });

  it('paddedBatch pads value arrays and pads tuples position by position', async () => {
    const [padded] = (await Dataset.fromArray([{ x: [1] }, { x: [2, 3] }])
      .paddedBatch(2, { paddingValue: -1 })
      .toArray()) as { x: unknown }[];
    expect(nd(padded!.x)).toEqual({
      dtype: 'float32',
      shape: [2, 2],
      values: [
        [1, -1],
        [2, 3],
      ],
    });
    const ragged = Dataset.fromArray([[1], [2, 3]]);
    const [pair] = await Dataset.zip([ragged, Dataset.range(2)])
      .paddedBatch(2)
      .toArray();
    expect(isTuple(pair)).toBe(true);
    expect((pair as unknown[]).map(nd)).toEqual([
      {
        dtype: 'float32',
        shape: [2, 2],
        values: [
          [1, 0],
          [2, 3],
        ],
      },
      { dtype: 'float32', shape: [2], values: [0, 1] },
    ]);
  });
});
