import { describe, expect, it } from 'vitest';
import { NDArray, ndarray } from '@tsflow/core';
import { Dataset } from '../dataset.js';

const values = (x: unknown): unknown => (x instanceof NDArray ? x.toArray() : Array.isArray(x) ? x.map(values) : x);

describe('unbatch', () => {
  it('unbatch inverts batch', async () => {
    expect(await Dataset.range(8).batch(3).unbatch().toArray()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const rows = await Dataset.fromArray([
      {
        x: ndarray([
          [1, 2],
          [3, 4],
        ]),
        label: ['a', 'b'],
      },
    ])
      .unbatch()
      .toArray();
    expect(rows.map(values)).toEqual([
      { x: expect.any(NDArray), label: 'a' },
      { x: expect.any(NDArray), label: 'b' },
    ]);
    expect((rows[1] as { x: NDArray }).x.toArray()).toEqual([3, 4]);
  });

  it('unbatch splits tuples holding string columns', async () => {
    const rows = await Dataset.fromArray([[['a', 'b', 'c'], ndarray([1, 2, 3])]])
      .unbatch()
      .toArray();
    expect(rows).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
  });
});
