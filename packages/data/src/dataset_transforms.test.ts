import { describe, expect, it } from 'vitest';
import { NDArray, ndarray } from '@tsflow/core';
import { Dataset } from './dataset.js';

const values = (x: unknown): unknown => (x instanceof NDArray ? x.toArray() : Array.isArray(x) ? x.map(values) : x);
const collect = async (ds: Dataset<unknown>): Promise<unknown[]> => (await ds.toArray()).map(values);

describe('sources', () => {
  it('fromArray keeps items and order', async () => {
    expect(await Dataset.fromArray(['a', 'b', 'c']).toArray()).toEqual(['a', 'b', 'c']);
    expect(() => Dataset.fromArray(5 as never)).toThrow(/fromArray: expected an array, got number/);
  });

  it('fromTensorSlices slices NDArrays, nested arrays and objects along dim 0', async () => {
    const x = ndarray([[1, 2], [3, 4], [5, 6]]);
    const rows = await Dataset.fromTensorSlices<NDArray>(x).toArray();
    expect(rows.map((row) => row.toArray())).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(rows[0]!.shape).toEqual([2]);
    expect(await Dataset.fromTensorSlices([1, 2, 3]).toArray()).toEqual([1, 2, 3]);
    const labels = ndarray([0, 1, 0], { dtype: 'int32' });
    const pairs = (await Dataset.fromTensorSlices({ x, y: labels }).toArray()) as { x: NDArray; y: NDArray }[];
    expect(pairs.map((p) => [p.x.toArray(), p.y.item()])).toEqual([[[1, 2], 0], [[3, 4], 1], [[5, 6], 0]]);
    // int32 rows stay int32 through batch (and unbatch).
    const [batch] = (await Dataset.fromTensorSlices({ x, y: labels }).batch(3).toArray()) as unknown as { x: NDArray; y: NDArray }[];
    expect(batch!.y.dtype).toBe('int32');
    expect(batch!.x.shape).toEqual([3, 2]);
    const again = (await Dataset.fromArray([labels]).unbatch().batch(3).toArray()) as unknown as NDArray[];
    expect(again[0]!.dtype).toBe('int32');
    expect(again[0]!.toArray()).toEqual([0, 1, 0]);
    expect(() => Dataset.fromTensorSlices({ x, y: ndarray([1, 2]) })).toThrow(
      /same first dimension, but value\.x has 3 and value\.y has 2/,
    );
  });

  it('fromGenerator calls the function once per pass, sync or async', async () => {
    let calls = 0;
    const ds = Dataset.fromGenerator(function* numbers() {
      calls++;
      yield* [1, 2, 3];
    });
    expect(calls).toBe(0);
    expect(await ds.toArray()).toEqual([1, 2, 3]);
    expect(await ds.toArray()).toEqual([1, 2, 3]);
    expect(calls).toBe(2);
    const asyncDs = Dataset.fromGenerator(async function* letters() {
      yield 'a';
      await new Promise((resolve) => setTimeout(resolve, 1));
      yield 'b';
    });
    expect(await asyncDs.toArray()).toEqual(['a', 'b']);
  });

  it('zip stops at the shortest, as arrays or objects', async () => {
    expect(await Dataset.zip([Dataset.range(3), Dataset.fromArray(['a', 'b', 'c', 'd'])]).toArray()).toEqual([
      [0, 'a'],
      [1, 'b'],
      [2, 'c'],
    ]);
    expect(await Dataset.zip({ n: Dataset.range(5), s: Dataset.fromArray(['a', 'b']) }).toArray()).toEqual([
      { n: 0, s: 'a' },
      { n: 1, s: 'b' },
    ]);
  });

  it('concatenate appends', async () => {
    expect(await Dataset.range(1, 4).concatenate(Dataset.range(4, 8)).toArray()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('transformations (tf.data examples)', () => {
  it('filter', async () => {
    expect(await Dataset.range(10).filter((x) => x % 2 === 0).toArray()).toEqual([0, 2, 4, 6, 8]);
    await expect(Dataset.range(3).filter(async () => true).toArray()).rejects.toThrow(
      /Error in Filter \(stage 2 of 'Range\(0, 3\) -> Filter'\): filter: the predicate returned a Promise/,
    );
  });

  it('take and skip', async () => {
    expect(await Dataset.range(10).take(3).toArray()).toEqual([0, 1, 2]);
    expect(await Dataset.range(4).take(-1).toArray()).toEqual([0, 1, 2, 3]);
    expect(await Dataset.range(10).skip(7).toArray()).toEqual([7, 8, 9]);
    expect(await Dataset.range(3).skip(5).toArray()).toEqual([]);
    expect(await Dataset.range(3).skip(-1).toArray()).toEqual([]);
  });

  it('take stops pulling upstream once it has enough', async () => {
    let pulled = 0;
    await Dataset.range(100)
      .map((x) => {
        pulled++;
        return x;
      })
      .take(3)
      .toArray();
    expect(pulled).toBe(3);
  });

  it('repeat: finite, infinite, zero', async () => {
    expect(await Dataset.range(3).repeat(2).toArray()).toEqual([0, 1, 2, 0, 1, 2]);
    expect(await Dataset.range(3).repeat().take(7).toArray()).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect(await Dataset.range(3).repeat(0).toArray()).toEqual([]);
    // An empty dataset repeated forever ends instead of spinning.
    expect(await Dataset.range(0).repeat().toArray()).toEqual([]);
  });

  it('shard(3, 0) of range(10) -> 0 3 6 9; shard(3, 1) -> 1 4 7', async () => {
    expect(await Dataset.range(10).shard(3, 0).toArray()).toEqual([0, 3, 6, 9]);
    expect(await Dataset.range(10).shard(3, 1).toArray()).toEqual([1, 4, 7]);
    expect(() => Dataset.range(10).shard(3, 3)).toThrow(/shard: index must be an integer in \[0, 3\), got 3/);
  });

  it('enumerate(5) pairs indices from 5', async () => {
    expect(await Dataset.fromArray(['a', 'b', 'c']).enumerate(5).toArray()).toEqual([
      [5, 'a'],
      [6, 'b'],
      [7, 'c'],
    ]);
  });

  it('scan: running sum over range(10), both function styles', async () => {
    const expected = [0, 1, 3, 6, 10, 15, 21, 28, 36, 45];
    expect(await Dataset.range(10).scan(0, (sum, x) => sum + x).toArray()).toEqual(expected);
    expect(await Dataset.range(10).scan(0, (sum, x) => [sum + x, sum + x] as const).toArray()).toEqual(expected);
    // tf.data style with an output different from the state.
    expect(await Dataset.range(4).scan(0, (count, x) => [count + 1, `${count}:${x}`] as const).toArray()).toEqual([
      '0:0',
      '1:1',
      '2:2',
      '3:3',
    ]);
  });

  it('takeWhile', async () => {
    expect(await Dataset.range(10).takeWhile((x) => x < 4).toArray()).toEqual([0, 1, 2, 3]);
  });

  it('window(3, { shift: 1, dropRemainder: true }) over range(7) -> 5 windows', async () => {
    const windows = await Dataset.range(7).window(3, { shift: 1, dropRemainder: true }).toArray();
    expect(windows).toHaveLength(5);
    expect(await Promise.all(windows.map((w) => w.toArray()))).toEqual([
      [0, 1, 2],
      [1, 2, 3],
      [2, 3, 4],
      [3, 4, 5],
      [4, 5, 6],
    ]);
    const all = await Dataset.range(7).window(3, { shift: 1 }).flatMap((w) => w.batch(3)).toArray();
    expect(all.map((b) => b.toArray())).toEqual([[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6], [5, 6], [6]]);
    const strided = await Dataset.range(7).window(2, { shift: 3, stride: 2 }).flatMap((w) => w).toArray();
    expect(strided).toEqual([0, 2, 3, 5, 6]);
  });

  it('interleave with cycleLength 2, blockLength 4 follows tf.data order', async () => {
    const ds = Dataset.range(1, 6).interleave((x) => Dataset.fromArray([x]).repeat(6), { cycleLength: 2, blockLength: 4 });
    expect(await ds.toArray()).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 3, 3, 4, 4, 5, 5, 5, 5, 5, 5]);
    const parallel = Dataset.range(1, 6).interleave((x) => Dataset.fromArray([x]).repeat(6), { cycleLength: 2, blockLength: 4, parallelism: 2 });
    expect(await parallel.toArray()).toEqual(await ds.toArray());
  });

  it('interleave closed while its input pull is awaited opens no inner dataset', async () => {
    let opened = 0;
    const input = Dataset.fromGenerator(async function* slow() {
      await new Promise((resolve) => setTimeout(resolve, 20));
      yield 1;
    });
    const it = input.interleave((x) => {
      opened++;
      return Dataset.range(x);
    }, { cycleLength: 1 }).iterator();
    const pending = it.next();
    await it.close();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(opened).toBe(0);
  });

  it('flatMap concatenates the inner datasets', async () => {
    expect(await Dataset.range(1, 4).flatMap((x) => Dataset.range(x)).toArray()).toEqual([0, 0, 1, 0, 1, 2]);
  });

  it('shuffle is a permutation, identity with buffer 1, reproducible with a seed', async () => {
    const shuffled = await Dataset.range(50).shuffle(20, { seed: 7 }).toArray();
    expect([...shuffled].sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
    expect(shuffled).not.toEqual([...Array(50).keys()]);
    expect(await Dataset.range(20).shuffle(1, { seed: 3 }).toArray()).toEqual([...Array(20).keys()]);
    const again = await Dataset.range(50).shuffle(20, { seed: 7 }).toArray();
    expect(again).toEqual(shuffled);
  });

  it('shuffle reshuffles each pass unless told not to', async () => {
    const ds = Dataset.range(30).shuffle(30, { seed: 1 });
    const first = await ds.toArray();
    const second = await ds.toArray();
    expect(second).not.toEqual(first);
    const fixed = Dataset.range(30).shuffle(30, { seed: 1, reshuffleEachIteration: false });
    expect(await fixed.toArray()).toEqual(await fixed.toArray());
    // Epochs of a repeat are shuffled differently too.
    const epochs = await Dataset.range(10).shuffle(10, { seed: 2 }).repeat(2).toArray();
    expect(epochs.slice(0, 10)).not.toEqual(epochs.slice(10));
  });

  it('unbatch inverts batch', async () => {
    expect(await Dataset.range(8).batch(3).unbatch().toArray()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const rows = await Dataset.fromArray([{ x: ndarray([[1, 2], [3, 4]]), label: ['a', 'b'] }]).unbatch().toArray();
    expect(rows.map(values)).toEqual([{ x: expect.any(NDArray), label: 'a' }, { x: expect.any(NDArray), label: 'b' }]);
    expect(((rows[1] as { x: NDArray }).x).toArray()).toEqual([3, 4]);
  });

  it('unbatch splits tuples holding string columns', async () => {
    const rows = await Dataset.fromArray([[['a', 'b', 'c'], ndarray([1, 2, 3])]]).unbatch().toArray();
    expect(rows).toEqual([['a', 1], ['b', 2], ['c', 3]]);
  });

  it('prefetch keeps order and values', async () => {
    expect(await Dataset.range(20).prefetch(4).toArray()).toEqual([...Array(20).keys()]);
  });

  it('cache-less pipelines with map + prefetch + batch compose', async () => {
    const out = await collect(Dataset.range(10).map((x) => x + 1).prefetch(2).batch(4));
    expect(out).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]);
  });
});

describe('batch stacking', () => {
  it('stacks NDArrays, objects, tuples and strings', async () => {
    const rows = [0, 1, 2].map((i) => ({ x: ndarray([i, i + 0.5]), y: i, name: `r${i}` }));
    const [batch] = (await Dataset.fromArray(rows).batch(3).toArray()) as unknown as { x: NDArray; y: NDArray; name: string[] }[];
    expect(batch!.x.shape).toEqual([3, 2]);
    expect(batch!.x.toArray()).toEqual([[0, 0.5], [1, 1.5], [2, 2.5]]);
    expect(batch!.y.dtype).toBe('float32');
    expect(batch!.name).toEqual(['r0', 'r1', 'r2']);
    const [pairs] = (await Dataset.range(2).enumerate().batch(2).toArray()) as unknown as NDArray[][];
    expect(pairs!.map((p) => p.toArray())).toEqual([[0, 1], [0, 1]]);
  });

  it('keeps int32 when the elements are int32 NDArrays', async () => {
    const [batch] = await Dataset.fromArray([ndarray(1, { dtype: 'int32' }), ndarray(2, { dtype: 'int32' })]).batch(2).toArray();
    expect(batch!.dtype).toBe('int32');
    expect(batch!.shape).toEqual([2]);
  });

  it('ragged NDArrays: a clear error naming the stage and shapes, pointing at paddedBatch', async () => {
    const ds = Dataset.fromArray([ndarray([1, 2]), ndarray([1, 2, 3])]).batch(2);
    await expect(ds.toArray()).rejects.toThrow(
      /Error in Batch\(2\) \(stage 2 of 'FromArray\(2\) -> Batch\(2\)'\): Batch\(2\) cannot batch NDArrays of different shapes \[2\] and \[3\].*use paddedBatch/,
    );
  });

  it('paddedBatch pads ragged rows', async () => {
    const ds = Dataset.fromArray([[1], [2, 3], [4, 5, 6], [7]]).paddedBatch(2, { paddingValue: -1 });
    expect(await collect(ds)).toEqual([
      [[1, -1], [2, 3]],
      [[4, 5, 6], [7, -1, -1]],
    ]);
    const images = Dataset.fromArray([ndarray([[1, 2]]), ndarray([[3], [4]])]).paddedBatch(2);
    expect(await collect(images)).toEqual([[[[1, 2], [0, 0]], [[3, 0], [4, 0]]]]);
  });

  it('Dates batch to a Date[] (as timestamp columns do) and unbatch back, not to {}', async () => {
    const rows = [{ t: new Date(1), x: 1 }, { t: new Date(2), x: 2 }];
    const [batch] = (await Dataset.fromArray(rows).batch(2).toArray()) as unknown as { t: Date[]; x: NDArray }[];
    expect(batch!.t).toEqual([new Date(1), new Date(2)]);
    const [padded] = (await Dataset.fromArray([{ t: new Date(3), x: [1] }, { t: new Date(4), x: [2, 3] }]).paddedBatch(2).toArray()) as unknown as { t: Date[] }[];
    expect(padded!.t).toEqual([new Date(3), new Date(4)]);
    const back = (await Dataset.fromArray(rows).batch(2).unbatch().toArray()) as { t: Date; x: number }[];
    expect(back).toEqual(rows);
    expect(await Dataset.fromArray([{ s: ['a', null] }]).unbatch().toArray()).toEqual([{ s: 'a' }, { s: null }]);
    await expect(Dataset.fromArray<unknown>([new Date(1), 5]).batch(2).toArray()).rejects.toThrow(
      /Batch\(2\) cannot batch mixed elements: element 0 is a Date but element 1 is a number \(5\)$/,
    );
  });

  it('batching undefined names it plainly', async () => {
    await expect(Dataset.fromArray<unknown>([undefined]).batch(1).toArray()).rejects.toThrow(
      /^Error in Batch\(1\) \(stage 2 of 'FromArray\(1\) -> Batch\(1\)'\): Batch\(1\) cannot batch undefined$/,
    );
    await expect(Dataset.fromArray<unknown>([1, undefined]).batch(2).toArray()).rejects.toThrow(
      /Batch\(2\) cannot batch mixed elements: element 0 is a number but element 1 is undefined$/,
    );
  });

  it('paddedBatch of objects mixed with null or other shapes: a named error, not a TypeError', async () => {
    await expect(Dataset.fromArray<unknown>([{ a: [1] }, null]).paddedBatch(2).toArray()).rejects.toThrow(
      /^Error in PaddedBatch\(2\) \(stage 2 of 'FromArray\(2\) -> PaddedBatch\(2\)'\): PaddedBatch\(2\) cannot batch mixed elements: element 0 is an object with field 'a' but element 1 is null$/,
    );
    await expect(Dataset.fromArray<unknown>([{ a: [1] }, [1]]).paddedBatch(2).toArray()).rejects.toThrow(
      /PaddedBatch\(2\) cannot batch mixed elements: element 0 is an object with field 'a' but element 1 is an array of length 1$/,
    );
    await expect(Dataset.fromArray<unknown>([['x', [1]], ['y']]).paddedBatch(2).toArray()).rejects.toThrow(
      /PaddedBatch\(2\) cannot batch mixed elements: element 0 is an array of length 2 but element 1 is an array of length 1$/,
    );
  });
});

describe('consumption', () => {
  it('forEach, reduce, count', async () => {
    const seen: number[] = [];
    await Dataset.range(3).forEach((x) => {
      seen.push(x);
    });
    expect(seen).toEqual([0, 1, 2]);
    expect(await Dataset.range(5).reduce(0, (a, x) => a + x)).toBe(10);
    expect(await Dataset.range(7).filter((x) => x > 2).count()).toBe(4);
  });

  it('breaking out of for-await closes the pass', async () => {
    let finalized = false;
    const ds = Dataset.fromGenerator(function* gen() {
      try {
        yield* [1, 2, 3];
      } finally {
        finalized = true;
      }
    });
    for await (const x of ds) if (x === 1) break;
    expect(finalized).toBe(true);
  });
});

describe('summary and errors of nested pipelines', () => {
  it('multi-input stages print their inputs', () => {
    const ds = Dataset.zip([Dataset.range(3), Dataset.range(4).map((x) => x)]).batch(2);
    expect(ds.summary()).toBe('Zip(Range(0, 3), Range(0, 4) -> Map) -> Batch(2)');
    expect(Dataset.range(2).concatenate(Dataset.range(1)).summary()).toBe('Concatenate(Range(0, 2), Range(0, 1))');
    expect(Dataset.range(8).shuffle(4).repeat(2).prefetch('auto').summary()).toBe('Range(0, 8) -> Shuffle(4) -> Repeat(2) -> Prefetch(4)');
  });

  it('an error inside a zip input names that stage and its position', async () => {
    const ds = Dataset.zip([
      Dataset.range(3),
      Dataset.range(3).map((x) => {
        if (x === 1) throw new Error('broken input');
        return x;
      }),
    ]);
    await expect(ds.toArray()).rejects.toThrow(/^Error in Map \(stage 3 of 'Zip\(Range\(0, 3\), Range\(0, 3\) -> Map\)'\): broken input$/);
  });

  it('bad arguments are named at build time', () => {
    expect(() => Dataset.range(3).batch(0)).toThrow(/batch: batchSize must be a positive integer, got 0/);
    expect(() => Dataset.range(3).shuffle(0)).toThrow(/shuffle: bufferSize must be a positive integer, got 0/);
    expect(() => Dataset.range(3).window(0)).toThrow(/window: size must be a positive integer, got 0/);
    expect(() => Dataset.range(3).map(5 as never)).toThrow(/map: expected a function, got number/);
    expect(() => Dataset.range(3).interleave((x) => Dataset.range(x), { cycleLength: 0 })).toThrow(/interleave: cycleLength must be a positive integer, got 0/);
    expect(() => Dataset.zip([Dataset.range(1), [1] as never])).toThrow(/zip: expected a Dataset, got object/);
  });
});
