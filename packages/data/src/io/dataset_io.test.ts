import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NDArray, NotFoundError } from '@tsflow/core';
import { tableFromArrays } from 'apache-arrow';
import { Dataset } from '../dataset.js';
import { featureMatrix } from './feature_matrix.js';
import { DataLossError } from './io_errors.js';
import { expandGlob } from './glob.js';

const fixtures = fileURLToPath(new URL('../../../../test-fixtures/', import.meta.url));
const parquet = (name: string) => join(fixtures, 'parquet', name);
const IRIS = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];

describe('Dataset.fromParquet / fromArrow / writeParquet / writeArrow', () => {
  it('batch(n) over Parquet gives columnar NDArrays: [n] scalars, [n, 64] pixels', async () => {
    const ds = Dataset.fromParquet(parquet('digits.parquet')).batch(100);
    expect(ds.summary()).toBe(`ParquetSource('${parquet('digits.parquet')}') -> Batch(100)`);
    const batches = (await ds.toArray()) as Record<string, NDArray>[];
    expect(batches).toHaveLength(18);
    expect(batches[0]!.pixels!.shape).toEqual([100, 64]);
    expect(batches[0]!.pixels!.dtype).toBe('float32');
    expect(batches[0]!.label!.shape).toEqual([100]);
    expect(batches[17]!.label!.shape).toEqual([97]);
  });

  it('resumes a batched Parquet pass exactly from a saved state', async () => {
    const ds = Dataset.fromParquet(parquet('parts/iris-part-*.parquet'), { columns: ['petal_length'] }).batch(7);
    const whole = ((await ds.toArray()) as Record<string, NDArray>[]).flatMap((b) => Array.from(b.petal_length!.data));
    const it = ds.iterator();
    for (let i = 0; i < 9; i++) await it.next();
    const state = JSON.parse(JSON.stringify(it.saveState()));
    await it.close();
    const rest: number[] = [];
    for await (const batch of ds.iterator({ state }))
      rest.push(...Array.from((batch as Record<string, NDArray>).petal_length!.data));
    expect(rest).toEqual(whole.slice(63));
  });

  it('rows run ahead through prefetch and still resume exactly', async () => {
    const ds = Dataset.fromParquet(parquet('parts/iris-part-*.parquet'), {
      columns: ['sepal_width'],
      batchSize: 16,
    }).prefetch(8);
    const whole = (await ds.toArray()).map((row) => row.sepal_width);
    expect(whole).toHaveLength(150);
    const it = ds.iterator();
    for (let i = 0; i < 57; i++) await it.next();
    await new Promise((resolve) => setTimeout(resolve, 20)); // let prefetch load ahead
    const state = JSON.parse(JSON.stringify(it.saveState()));
    await it.close();
    const rest: unknown[] = [];
    for await (const row of ds.iterator({ state })) rest.push(row.sepal_width);
    expect(rest).toEqual(whole.slice(57));
  });

  it('splits a file list across workers with shard, and mixes files with interleave', async () => {
    const files = await expandGlob(parquet('parts/iris-part-*.parquet'));
    expect(files).toHaveLength(3);
    const perFile = await Promise.all(
      files.map(async (file) =>
        (await Dataset.fromParquet(file, { columns: ['petal_width'] }).toArray()).map((row) => row.petal_width),
      ),
    );
    const worker1 = Dataset.fromArray(files)
      .shard(2, 1)
      .interleave((file) => Dataset.fromParquet(file as string, { columns: ['petal_width'] }), { cycleLength: 1 });
    expect((await worker1.toArray()).map((row) => row.petal_width)).toEqual(perFile[1]);
    const mixed = await Dataset.fromArray(files)
      .interleave((file) => Dataset.fromParquet(file as string, { columns: ['petal_width'] }), {
        cycleLength: 3,
        blockLength: 1,
      })
      .toArray();
    expect(mixed.slice(0, 3).map((row) => row.petal_width)).toEqual([perFile[0]![0], perFile[1]![0], perFile[2]![0]]);
    expect(mixed).toHaveLength(150);
  });

  it('featureMatrix assembles scalar columns into [n, k] after batch, or [k] per row', async () => {
    const batched = (
      await Dataset.fromParquet(parquet('iris.parquet'))
        .batch(10)
        .map(featureMatrix(IRIS, { as: 'x' }))
        .take(1)
        .toArray()
    )[0] as Record<string, NDArray>;
    expect(Object.keys(batched).sort()).toEqual(['target', 'x']);
    expect(batched.x!.shape).toEqual([10, 4]);
    expect(Array.from(batched.x!.data.subarray(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2].map(Math.fround));
    const perRow = (
      await Dataset.fromParquet(parquet('iris.parquet'))
        .map(featureMatrix(IRIS, { as: 'x', keep: true }))
        .batch(10)
        .take(1)
        .toArray()
    )[0] as Record<string, NDArray>;
    expect(perRow.x!.shape).toEqual([10, 4]);
    expect(Array.from(perRow.x!.data)).toEqual(Array.from(batched.x!.data));
    expect(perRow.sepal_length!.shape).toEqual([10]);
    expect(batched.target!.dtype).toBe('int32');
    expect(perRow.target!.dtype).toBe('int32'); // rows keep their column kinds through featureMatrix
  });

  it('featureMatrix names a missing or non-numeric column', () => {
    const assemble = featureMatrix(['a', 'b']);
    expect(() => assemble({ a: 1 })).toThrow(/featureMatrix: column 'b' does not exist; the element has a/);
    expect(() => assemble({ a: 1, b: 'x' })).toThrow(/featureMatrix: column 'b' must be a number, got string x/);
    expect(() => assemble({ a: new NDArray('float32', [2], new Float32Array(2)), b: ['p', 'q'] })).toThrow(
      /column 'b' must be a numeric \[n\] NDArray, got an array/,
    );
  });

  it('errors inside the source surface at iteration naming the stage', async () => {
    const error = await Dataset.fromParquet(parquet('corrupt/iris_truncated.parquet'))
      .toArray()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataLossError); // the class survives the stage wrapping
    expect((error as Error).cause).toBeInstanceOf(DataLossError);
    await expect(Dataset.fromParquet(parquet('iris.parquet'), { columns: ['nope'] }).toArray()).rejects.toThrow(
      NotFoundError,
    );
    await expect(Dataset.fromParquet(parquet('corrupt/iris_corrupt_page.parquet')).batch(10).toArray()).rejects.toThrow(
      /Error in ParquetSource\('.*iris_corrupt_page\.parquet'\) \(stage 1 of .*\): Parquet file '.*' row group 0, column 'sepal_length', page 0: the page header at byte 4 is corrupt/,
    );
  });

  it('writes rows and batches from any pipeline and reads them back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsflow-ds-io-'));
    const rows = Dataset.range(25).map((i) => ({ i, square: i * i, name: `n${i}` }));
    const written = await rows.writeParquet(join(dir, 'rows.parquet'), { rowGroupSize: 10, compression: 'zstd' });
    expect(written.rows).toBe(25);
    const back = await Dataset.fromParquet(join(dir, 'rows.parquet')).toArray();
    expect(back).toEqual(await rows.toArray());

    await rows.batch(8).writeArrow(join(dir, 'batches.arrow'));
    const fromArrow = (await Dataset.fromArrow(join(dir, 'batches.arrow')).batch(25).toArray())[0] as Record<
      string,
      unknown
    >;
    expect(Array.from((fromArrow.square as NDArray).data)).toEqual(Array.from({ length: 25 }, (_, i) => i * i));
    expect(fromArrow.name).toEqual(Array.from({ length: 25 }, (_, i) => `n${i}`));
  });

  it('writes rows whose only values are vectors as rows, and batch(n) output as batches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsflow-ds-io-'));
    const vectors = Dataset.range(6).map((i) => ({ v: new NDArray('float32', [3], Float32Array.of(i, i, i)) }));
    await vectors.writeParquet(join(dir, 'vectors.parquet'), { input: 'rows' });
    const back = (await Dataset.fromParquet(join(dir, 'vectors.parquet')).batch(6).toArray())[0] as Record<
      string,
      NDArray
    >;
    expect(back.v!.shape).toEqual([6, 3]);
    const scalars = Dataset.range(6)
      .map((i) => ({ a: i, b: -i }))
      .batch(3);
    await scalars.writeParquet(join(dir, 'scalars.parquet'));
    expect(await Dataset.fromParquet(join(dir, 'scalars.parquet')).toArray()).toEqual(
      Array.from({ length: 6 }, (_, i) => ({ a: i, b: -i })),
    );
    // Batches of string columns alone don't look like batches; the batch / paddedBatch stage says they are.
    const names = Dataset.range(4).map((i) => ({ name: `n${i}` }));
    for (const batched of [names.batch(2), names.paddedBatch(2)]) {
      await batched.writeArrow(join(dir, 'names.arrow'));
      expect(await Dataset.fromArrow(join(dir, 'names.arrow')).toArray()).toEqual(
        [0, 1, 2, 3].map((i) => ({ name: `n${i}` })),
      );
    }
  });

  it('writes a dataset of plain values as one column named value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsflow-ds-io-'));
    await Dataset.range(5).writeParquet(join(dir, 'numbers.parquet'));
    expect(await Dataset.fromParquet(join(dir, 'numbers.parquet')).toArray()).toEqual(
      [0, 1, 2, 3, 4].map((value) => ({ value })),
    );
    await Dataset.range(7).batch(3).writeArrow(join(dir, 'batched.arrow'));
    expect((await Dataset.fromArrow(join(dir, 'batched.arrow')).toArray()).map((row) => row.value)).toEqual([
      0, 1, 2, 3, 4, 5, 6,
    ]);
    await expect(Dataset.fromArray([1, null]).writeParquet(join(dir, 'nulls.parquet'))).rejects.toThrow(
      /element 1: sinks write objects keyed by column, numbers, .* got null/,
    );
  });

  it('fromArrow reads an in-memory table', async () => {
    const table = tableFromArrays({ a: Float32Array.of(1, 2, 3), b: ['x', 'y', 'z'] });
    expect(await Dataset.fromArrow(table).toArray()).toEqual([
      { a: 1, b: 'x' },
      { a: 2, b: 'y' },
      { a: 3, b: 'z' },
    ]);
    expect(Dataset.fromArrow(table, { columns: ['b'] }).summary()).toBe('ArrowSource(table, 3 rows, columns=[b])');
  });
});
