import { describe, expect, it } from 'vitest';
import { NDArray } from '@tsflow/core';
import { Dataset } from '../dataset.js';
import type { ColumnarChunk, Stage, StageIterator, StageState } from './stage.js';
import { DONE_RESULT } from './pull.js';

/**
 * A small in-memory columnar source: `rows` rows in chunks of `chunkRows`, column `x` as
 * float32 [n, 2], `id` int32 [n], `tag` strings. It counts the row objects it builds so the
 * test can prove batch() never asks for them.
 */
class MemoryColumnarSource implements Stage<Record<string, unknown>> {
  readonly upstream = [];
  readonly label = 'MemoryColumns';
  rowObjectsBuilt = 0;
  private readonly x: Float32Array;
  private readonly id: Int32Array;

  constructor(
    private readonly rows: number,
    private readonly chunkRows: number,
  ) {
    this.x = Float32Array.from({ length: rows * 2 }, (_, i) => i / 2);
    this.id = Int32Array.from({ length: rows }, (_, i) => i);
  }

  open(state?: StageState): StageIterator<Record<string, unknown>> {
    let position = (state?.position as number | undefined) ?? 0;
    return {
      next: async () => {
        if (position >= this.rows) return DONE_RESULT;
        this.rowObjectsBuilt++;
        const row = position++;
        return {
          value: { x: new NDArray('float32', [2], this.x.slice(row * 2, row * 2 + 2)), id: row, tag: `t${row}` },
          done: false,
        };
      },
      saveState: () => ({ position }),
      close: async () => undefined,
    };
  }

  openChunks(state?: StageState): StageIterator<ColumnarChunk> {
    let position = (state?.position as number | undefined) ?? 0;
    return {
      next: async () => {
        if (position >= this.rows) return DONE_RESULT;
        const start = position;
        const end = Math.min(this.rows, start + this.chunkRows);
        position = end;
        const chunk: ColumnarChunk = {
          numRows: end - start,
          columns: {
            x: new NDArray('float32', [end - start, 2], this.x.subarray(start * 2, end * 2)),
            id: new NDArray('int32', [end - start], this.id.subarray(start, end)),
            tag: Array.from({ length: end - start }, (_, i) => `t${start + i}`),
          },
        };
        return { value: chunk, done: false };
      },
      saveState: () => ({ position }),
      close: async () => undefined,
    };
  }
}

type Columns = { x: NDArray; id: NDArray; tag: string[] };

describe('batch over a columnar source', () => {
  it('slices column chunks into [n] / [n, d] NDArrays without building row objects', async () => {
    const source = new MemoryColumnarSource(10, 4);
    const batches = (await Dataset.fromStage(source).batch(3).toArray()) as unknown as Columns[];
    expect(source.rowObjectsBuilt).toBe(0);
    expect(batches.map((b) => b.id.toArray())).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
    expect(batches[0]!.id.dtype).toBe('int32');
    expect(batches[1]!.x.shape).toEqual([3, 2]);
    expect(batches[1]!.x.toArray()).toEqual([
      [3, 3.5],
      [4, 4.5],
      [5, 5.5],
    ]);
    expect(batches[2]!.tag).toEqual(['t6', 't7', 't8']);
  });

  it('a batch inside one chunk is a view of the chunk (no copy)', async () => {
    const source = new MemoryColumnarSource(8, 8);
    const [first] = (await Dataset.fromStage(source).batch(4).toArray()) as unknown as Columns[];
    const second = (await Dataset.fromStage(source).batch(4).toArray())[1] as unknown as Columns;
    expect(first!.id.data.buffer).toBe(second.id.data.buffer);
  });

  it('dropRemainder and resuming mid-chunk', async () => {
    const build = () => Dataset.fromStage(new MemoryColumnarSource(11, 4)).batch(3, { dropRemainder: true });
    const full = ((await build().toArray()) as unknown as Columns[]).map((b) => b.id.toArray());
    expect(full).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
    ]);
    const it1 = build().iterator();
    await it1.next();
    await it1.next();
    const state = JSON.parse(JSON.stringify(it1.saveState()));
    const rest: unknown[] = [];
    for await (const b of build().iterator({ state })) rest.push((b as unknown as Columns).id.toArray());
    expect(rest).toEqual([[6, 7, 8]]);
  });

  it('fromTensorSlices of an object of columns takes the columnar path, same values as rows', async () => {
    const x = new NDArray('float32', [5, 2], Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    const y = new NDArray('int32', [5], Int32Array.from([1, 0, 1, 0, 1]));
    const columnar = (await Dataset.fromTensorSlices({ x, y }).batch(2).toArray()) as unknown as {
      x: NDArray;
      y: NDArray;
    }[];
    const viaRows = (await Dataset.fromTensorSlices({ x, y })
      .map((r) => r)
      .batch(2)
      .toArray()) as unknown as { x: NDArray; y: NDArray }[];
    expect(columnar[0]!.x.data.buffer).toBe(x.data.buffer);
    for (const batches of [columnar, viaRows]) {
      expect(batches.map((b) => b.x.toArray())).toEqual([
        [
          [0, 1],
          [2, 3],
        ],
        [
          [4, 5],
          [6, 7],
        ],
        [[8, 9]],
      ]);
      expect(batches.map((b) => [b.y.dtype, b.y.toArray()])).toEqual([
        ['int32', [1, 0]],
        ['int32', [1, 0]],
        ['int32', [1]],
      ]);
    }
  });

  it('fromTensorSlices columns resume mid-way on the columnar path (a sliced chunk)', async () => {
    const x = new NDArray('float32', [5, 2], Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    const names = ['a', 'b', 'c', 'd', 'e'];
    const ds = Dataset.fromTensorSlices({ x, names }).batch(3);
    const state = {
      format: 'tsflow.dataset.iterator/1' as const,
      pipeline: ds.summary(),
      position: { chunks: { position: 1 }, rowInChunk: 0 },
    };
    const batches = [];
    for await (const b of ds.iterator({ state })) batches.push(b as unknown as { x: NDArray; names: string[] });
    expect(batches.map((b) => [b.x.toArray(), b.names])).toEqual([
      [
        [
          [2, 3],
          [4, 5],
          [6, 7],
        ],
        ['b', 'c', 'd'],
      ],
      [[[8, 9]], ['e']],
    ]);
  });

  it('take and skip keep the columnar path (chunks cut at the boundary)', async () => {
    const ids = async (ds: Dataset<unknown>) =>
      ((await ds.toArray()) as unknown as Columns[]).map((b) => b.id.toArray());
    const source = new MemoryColumnarSource(10, 4);
    expect(await ids(Dataset.fromStage(source).take(7).batch(3))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(await ids(Dataset.fromStage(source).skip(5).batch(3))).toEqual([
      [5, 6, 7],
      [8, 9],
    ]);
    expect(await ids(Dataset.fromStage(source).skip(2).take(5).batch(2))).toEqual([[2, 3], [4, 5], [6]]);
    expect(await ids(Dataset.fromStage(source).skip(-1).batch(2))).toEqual([]);
    expect(source.rowObjectsBuilt).toBe(0);
    // Row passes over the same stages agree.
    const rows = await Dataset.fromStage(source).skip(2).take(5).toArray();
    expect(rows.map((row) => row.id)).toEqual([2, 3, 4, 5, 6]);
    // And a saved columnar state resumes.
    const build = () => Dataset.fromStage(new MemoryColumnarSource(10, 4)).skip(3).batch(2);
    const it1 = build().iterator();
    await it1.next();
    const state = JSON.parse(JSON.stringify(it1.saveState()));
    const rest: unknown[] = [];
    for await (const b of build().iterator({ state })) rest.push((b as unknown as Columns).id.toArray());
    expect(rest).toEqual([[5, 6], [7, 8], [9]]);
  });

  it('with a map in between, rows are used (same values)', async () => {
    const source = new MemoryColumnarSource(5, 2);
    const batches = (await Dataset.fromStage(source)
      .map((row) => row)
      .batch(5)
      .toArray()) as unknown as Columns[];
    expect(source.rowObjectsBuilt).toBe(5);
    expect(batches[0]!.id.toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(batches[0]!.x.shape).toEqual([5, 2]);
  });
});
