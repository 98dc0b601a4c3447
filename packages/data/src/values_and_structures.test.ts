import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NDArray, ndarray } from '@tsflow/core';
import { Dataset } from './dataset.js';
import type { IteratorState } from './pipeline/dataset_iterator.js';
import { decodeElement, encodeElement } from './pipeline/element_codec.js';
import { isTuple } from './pipeline/value_arrays.js';
import { packForWorker, unpackFromWorker } from './workers/transfer_codec.js';

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

describe('fromTensorSlices follows the same rule', () => {
  it('slices value arrays as one tensor and an array of NDArrays into tuples', async () => {
    const [batch] = (await Dataset.fromTensorSlices({
      x: [
        [1, 2],
        [3, 4],
      ],
      y: [0, 1],
    })
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
    const slices = await Dataset.fromTensorSlices([ndarray([1, 2]), ndarray([3, 4])]).toArray();
    expect(slices).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(slices.every(isTuple)).toBe(true);
    const [pair] = await Dataset.fromTensorSlices([ndarray([1, 2]), ndarray([3, 4])])
      .batch(2)
      .toArray();
    expect((pair as unknown[]).map(nd)).toEqual([
      { dtype: 'float32', shape: [2], values: [1, 2] },
      { dtype: 'float32', shape: [2], values: [3, 4] },
    ]);
  });
});

describe('saved iterator states and the worker codec keep tuples and values apart', () => {
  it('encodeElement/decodeElement round-trip a tuple as a tuple and a value array as a plain array', async () => {
    const [tuple] = await Dataset.zip([Dataset.range(1, 2), Dataset.range(2, 3)]).toArray();
    expect(isTuple(tuple)).toBe(true);
    const decoded = decodeElement(JSON.parse(JSON.stringify(encodeElement({ t: tuple, v: [1, 2] }, 'test')))) as {
      t: unknown;
      v: unknown;
    };
    expect(decoded.t).toEqual([1, 2]);
    expect(isTuple(decoded.t)).toBe(true);
    expect(decoded.v).toEqual([1, 2]);
    expect(isTuple(decoded.v)).toBe(false);
  });

  it('a shuffle buffer of zip tuples resumes as tuples', async () => {
    const build = () => Dataset.zip([Dataset.range(8), Dataset.range(8)]).shuffle(4, { seed: 3 });
    const full = await build().toArray();
    const first = build().iterator();
    const head = [(await first.next()).value];
    const state = JSON.parse(JSON.stringify(first.saveState())) as IteratorState;
    await first.close();
    const rest: unknown[] = [];
    for await (const pair of build().iterator({ state })) rest.push(pair);
    expect([...head, ...rest]).toEqual(full);
    expect(rest.length).toBe(7);
    expect(rest.every(isTuple)).toBe(true);
  });

  it('a shuffle buffer of value arrays resumes as values', async () => {
    const build = () =>
      Dataset.fromArray([{ x: [1, 2] }, { x: [3, 4] }, { x: [5, 6] }, { x: [7, 8] }])
        .shuffle(3, { seed: 1 })
        .batch(2);
    const full = (await build().toArray()).map((b) => nd((b as { x: unknown }).x));
    const it1 = build().iterator();
    const head = [(await it1.next()).value];
    const state = JSON.parse(JSON.stringify(it1.saveState())) as IteratorState;
    await it1.close();
    const rest: unknown[] = [];
    for await (const b of build().iterator({ state })) rest.push(b);
    expect([...head, ...rest].map((b) => nd((b as { x: unknown }).x))).toEqual(full);
    expect(full.map((b) => (b as { shape: number[] }).shape)).toEqual([
      [2, 2],
      [2, 2],
    ]);
  });

  it('the worker wire format keeps the tuple mark and leaves value arrays plain', async () => {
    const [tuple] = await Dataset.fromArray(['a']).enumerate().toArray();
    const { packed } = packForWorker({ t: tuple, v: [1, 2] }, false);
    const back = unpackFromWorker(structuredClone(packed)) as { t: unknown; v: unknown };
    expect(back.t).toEqual([0, 'a']);
    expect(isTuple(back.t)).toBe(true);
    expect(back.v).toEqual([1, 2]);
    expect(isTuple(back.v)).toBe(false);
  });

  it('mapInWorkers passes tuples and value arrays through as themselves', async () => {
    const fixture = new URL('../test/fixtures/map_fns.mjs', import.meta.url);
    const [pair] = await Dataset.zip([Dataset.range(2), Dataset.range(2)])
      .mapInWorkers(fixture, { exportName: 'identity', workers: 1 })
      .batch(2)
      .toArray();
    expect((pair as unknown[]).map(nd)).toEqual([
      { dtype: 'float32', shape: [2], values: [0, 1] },
      { dtype: 'float32', shape: [2], values: [0, 1] },
    ]);
    const [values] = await Dataset.range(2)
      .map((i) => [i, i])
      .mapInWorkers(fixture, { exportName: 'identity', workers: 1 })
      .batch(2)
      .toArray();
    expect(nd(values)).toEqual({
      dtype: 'float32',
      shape: [2, 2],
      values: [
        [0, 0],
        [1, 1],
      ],
    });
  });
});
