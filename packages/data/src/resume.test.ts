import { describe, expect, it } from 'vitest';
import { NDArray, ndarray } from '@tsflow/core';
import { Dataset } from './dataset.js';
import type { IteratorState } from './pipeline/dataset_iterator.js';
import { DatasetError } from './pipeline/stage_errors.js';

const plain = (x: unknown): unknown =>
  x instanceof NDArray ? { nd: x.dtype, v: x.toArray() } : Array.isArray(x) ? x.map(plain) : x;

/** Takes `k` elements, saves, round-trips the state through JSON, resumes on a fresh build. */
async function resumeAt(build: () => Dataset<unknown>, k: number): Promise<{ full: unknown[]; stitched: unknown[] }> {
  const full = (await build().toArray()).map(plain);
  const first = build().iterator();
  const head: unknown[] = [];
  for (let i = 0; i < k; i++) {
    const result = await first.next();
    if (result.done) break;
    head.push(plain(result.value));
  }
  const state = JSON.parse(JSON.stringify(first.saveState())) as IteratorState;
  await first.close();
  const rest: unknown[] = [];
  for await (const x of build().iterator({ state })) rest.push(plain(x));
  return { full, stitched: [...head, ...rest] };
}

const pipelines: Record<string, () => Dataset<unknown>> = {
  'shuffle + repeat + take + skip': () => Dataset.range(20).shuffle(6, { seed: 11 }).repeat(3).take(50).skip(3),
  'map + filter + batch': () =>
    Dataset.range(40)
      .map((x) => x * 3)
      .filter((x) => x % 2 === 0)
      .batch(4),
  interleave: () =>
    Dataset.range(1, 6).interleave((x) => Dataset.range(x * 10, x * 10 + 5), { cycleLength: 2, blockLength: 2 }),
  'interleave of async inner datasets + prefetch': () =>
    Dataset.range(1, 5)
      .interleave((x) => Dataset.range(x * 10, x * 10 + x).map(async (y) => (y % 3 === 0 ? Promise.resolve(y) : y)), {
        cycleLength: 3,
        blockLength: 2,
      })
      .prefetch(3),
  'flatMap + shard + enumerate': () =>
    Dataset.range(1, 8)
      .flatMap((x) => Dataset.range(x))
      .shard(2, 1)
      .enumerate(100),
  'scan + zip + concatenate': () =>
    Dataset.zip([Dataset.range(12).scan(0, (s, x) => s + x), Dataset.range(100, 130)]).concatenate(
      Dataset.fromArray([[-1, -1]]),
    ),
  'unbatch of NDArrays + padded batch': () =>
    Dataset.fromArray([
      ndarray([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
      ndarray([[7, 8]]),
      ndarray([
        [9, 10],
        [11, 12],
        [13, 14],
        [15, 16],
      ]),
    ])
      .unbatch()
      .map((row) => ((row as NDArray).toArray() as number[]).slice(0, ((row as NDArray).get(0) % 2) + 1))
      .paddedBatch(2),
  'prefetch + async parallel map': () =>
    Dataset.range(25)
      .map(async (x) => x * x, { parallelism: 3 })
      .prefetch(4)
      .takeWhile((x) => x < 400),
  'async map + zip + batch, saved while prefetch pulls are in flight': () =>
    Dataset.zip([Dataset.range(20).map(async (x) => x + 0.5), Dataset.range(100, 120)])
      .batch(3)
      .prefetch(2),
  'async map + batch + prefetch + unbatch': () =>
    Dataset.range(30)
      .map(async (x) => {
        await new Promise((resolve) => setTimeout(resolve, x % 3));
        return ndarray([x, x * 2]);
      })
      .batch(4)
      .prefetch(3)
      .unbatch(),
  'window + shuffle of NDArray elements': () =>
    Dataset.range(15)
      .map((x) => ndarray([x, -x], { dtype: 'int32' }))
      .shuffle(4, { seed: 5 })
      .batch(2)
      .repeat(2),
};

describe('resumable iterators: saveState at step k, resume -> the rest of an uninterrupted run', () => {
  for (const [name, build] of Object.entries(pipelines)) {
    it(name, async () => {
      const total = (await build().toArray()).length;
      expect(total).toBeGreaterThan(3);
      for (const k of [0, 1, Math.floor(total / 2), total - 1, total]) {
        const { full, stitched } = await resumeAt(build, k);
        expect(stitched, `resumed at ${k}`).toEqual(full);
      }
    });
  }

  it('shuffle resumes with its buffer contents even without a seed (same Dataset object)', async () => {
    const ds = Dataset.range(30).shuffle(10);
    const it1 = ds.iterator();
    const head: number[] = [];
    for (let i = 0; i < 7; i++) head.push((await it1.next()).value!);
    const state = it1.saveState();
    const rest1: number[] = [];
    for await (const x of it1) rest1.push(x);
    const rest2 = await (async () => {
      const out: number[] = [];
      for await (const x of ds.iterator({ state: JSON.parse(JSON.stringify(state)) })) out.push(x);
      return out;
    })();
    expect(rest2).toEqual(rest1);
    expect([...head, ...rest1].sort((a, b) => a - b)).toEqual([...Array(30).keys()]);
  });

  it('the saved state holds the shuffle buffer and the repeat epoch', async () => {
    const it1 = Dataset.range(10).shuffle(4, { seed: 1 }).repeat(3).iterator();
    for (let i = 0; i < 12; i++) await it1.next();
    const position = it1.saveState().position as { epoch: number; upstream: { buffer: unknown[] } };
    expect(position.epoch).toBe(1);
    // One slot was just drawn; it is refilled on the next pull.
    expect(position.upstream.buffer).toHaveLength(3);
  });

  it('a generator stage says it cannot be saved', async () => {
    const it1 = Dataset.fromGenerator(function* gen() {
      yield 1;
    })
      .map((x) => x)
      .iterator();
    await it1.next();
    expect(() => it1.saveState()).toThrow(
      /FromGenerator\(gen\) cannot save its iterator state: the position inside a generator/,
    );
  });

  it('unordered parallel map resumes with the undelivered elements (same multiset)', async () => {
    const build = () =>
      Dataset.range(20).map(
        async (x) => {
          await new Promise((resolve) => setTimeout(resolve, (x * 7) % 5));
          return x;
        },
        { parallelism: 4, ordered: false },
      );
    const it1 = build().iterator();
    const head: number[] = [];
    for (let i = 0; i < 6; i++) head.push((await it1.next()).value!);
    const state = JSON.parse(JSON.stringify(it1.saveState()));
    await it1.close();
    const rest: number[] = [];
    for await (const x of build().iterator({ state })) rest.push(x);
    expect([...head, ...rest].sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
  });

  it('a prefetch over a generator says which stage cannot be saved', async () => {
    const it1 = Dataset.fromGenerator(async function* ticks() {
      yield 1;
      yield 2;
    })
      .prefetch(2)
      .iterator();
    expect((await it1.next()).value).toBe(1);
    expect(() => it1.saveState()).toThrow(/FromGenerator\(ticks\) cannot save its iterator state/);
    expect((await it1.next()).value).toBe(2);
  });

  it('async map + filter + shuffle + prefetch resumes exactly (whenReady chain)', async () => {
    const build = () =>
      Dataset.range(40)
        .map(async (x) => x * 2)
        .filter((x) => x % 3 !== 0)
        .shuffle(5, { seed: 9 })
        .prefetch(3);
    const full = await build().toArray();
    for (const k of [3, 11, 20]) {
      const it1 = build().iterator();
      const head: number[] = [];
      for (let i = 0; i < k; i++) head.push((await it1.next()).value!);
      const state = JSON.parse(JSON.stringify(it1.saveState()));
      await it1.close();
      const rest: number[] = [];
      for await (const x of build().iterator({ state })) rest.push(x);
      expect([...head, ...rest]).toEqual(full);
    }
  });

  it('a state from another pipeline is refused, naming both', () => {
    const state = Dataset.range(3).iterator().saveState();
    expect(() => Dataset.range(4).iterator({ state })).toThrow(
      /state was saved from pipeline 'Range\(0, 3\)' but this dataset is 'Range\(0, 4\)'/,
    );
    expect(() => Dataset.range(3).iterator({ state: { nope: 1 } as never })).toThrow(
      /expected a state from saveState\(\)/,
    );
  });

  it('malformed batch / scan / zip / concatenate states are refused with the field named', () => {
    const resume = (ds: Dataset<unknown>, position: Record<string, unknown>) => () =>
      ds.iterator({ state: { format: 'tsflow.dataset.iterator/1', pipeline: ds.summary(), position } });
    expect(resume(Dataset.range(5).batch(2), { upstream: { position: 1 }, rows: 'x' })).toThrow(
      /^Saved iterator state does not fit Batch\(2\): field 'rows' should be an array, got "x"$/,
    );
    expect(
      resume(
        Dataset.range(5).scan(0, (a: number, x) => a + x),
        { upstream: { position: 1 } },
      ),
    ).toThrow(/^Saved iterator state does not fit Scan: field 'accumulator' is missing$/);
    const zipped = Dataset.zip([Dataset.range(3), Dataset.range(3)]);
    expect(resume(zipped, { upstreams: [{ position: 0 }, 7] })).toThrow(
      /^Saved iterator state does not fit Zip: field 'upstreams\[1\]' should be an object, got 7$/,
    );
    expect(resume(zipped, { upstreams: [null, null], parts: 3 })).toThrow(
      /^Saved iterator state does not fit Zip: field 'parts' should be an array, got 3$/,
    );
    expect(resume(Dataset.range(2).concatenate(Dataset.range(2)), { part: 1, upstream: 4 })).toThrow(
      /^Saved iterator state does not fit Concatenate: field 'upstream' should be an object, got 4$/,
    );
  });

  it('a shuffle state with a malformed generator state is refused', () => {
    const ds = Dataset.range(5).shuffle(2);
    const position = { pass: 0, random: ['x'], buffer: [], upstreamEnded: false, upstream: { position: 0 } };
    expect(() =>
      ds.iterator({ state: { format: 'tsflow.dataset.iterator/1', pipeline: ds.summary(), position } }),
    ).toThrow(
      /^Saved iterator state does not fit Shuffle\(2\): field 'random' should be 4 32-bit integers, got \["x"\]$/,
    );
  });

  it('malformed interleave slots and errors while reopening them are named errors', () => {
    const build = () =>
      Dataset.range(2).interleave(
        (x) => {
          if (x === 1) throw new RangeError('no inner dataset for 1');
          return Dataset.range(3);
        },
        { cycleLength: 1 },
      );
    const ds = build();
    const state = (slots: unknown[]): IteratorState => ({
      format: 'tsflow.dataset.iterator/1',
      pipeline: ds.summary(),
      position: { cycleIndex: 0, blockIndex: 0, endOfInput: false, slots, upstream: { position: 2 } },
    });
    expect(() => ds.iterator({ state: state([5]) })).toThrow(
      /^Saved iterator state does not fit Interleave\(cycleLength=1, blockLength=1\): field 'slots\[0\]' should be null or \{ source, state \}, got 5$/,
    );
    let error: unknown;
    try {
      build().iterator({ state: state([{ source: 1, state: { position: 0 } }]) });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as Error).cause).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe(
      "Error in Interleave(cycleLength=1, blockLength=1) (stage 2 of 'Range(0, 2) -> Interleave(cycleLength=1, blockLength=1)'): no inner dataset for 1",
    );
  });
});

describe('determinism', () => {
  it('same seed -> same order across independently built pipelines, for several passes', async () => {
    const build = () => Dataset.range(100).shuffle(32, { seed: 1234 }).batch(10).unbatch();
    const a = build();
    const b = build();
    for (let pass = 0; pass < 3; pass++) expect(await a.toArray()).toEqual(await b.toArray());
  });

  it('different seeds give different orders', async () => {
    const a = await Dataset.range(100).shuffle(100, { seed: 1 }).toArray();
    const b = await Dataset.range(100).shuffle(100, { seed: 2 }).toArray();
    expect(a).not.toEqual(b);
  });
});
