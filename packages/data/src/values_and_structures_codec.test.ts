import { describe, expect, it } from 'vitest';
import { NDArray, ndarray } from '@tsflow/core';
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
