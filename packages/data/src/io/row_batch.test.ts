import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NDArray } from '@tsflow/core';
import { Dataset } from '../dataset.js';

const types = fileURLToPath(new URL('../../../../test-fixtures/parquet/types/types_snappy.parquet', import.meta.url));
const digits = fileURLToPath(new URL('../../../../test-fixtures/parquet/digits.parquet', import.meta.url));

type Batch = Record<string, unknown>;

function describeBatch(batch: Batch): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(batch).map(([key, value]) => [
      key,
      value instanceof NDArray ? { dtype: value.dtype, shape: value.shape, values: value.toArray() } : value,
    ]),
  );
}

describe('batching Arrow/Parquet rows after a row-level stage', () => {
  it('gives the same dtypes and values as the columnar path (int32 stays int32; strings, lists, timestamps with nulls stay arrays)', async () => {
    const columnar = (await Dataset.fromParquet(types).batch(16).toArray()) as Batch[];
    // shuffle(1) is the identity order but forces the row path (shuffle has no columnar form).
    const rowLevel = (await Dataset.fromParquet(types).shuffle(1).batch(16).toArray()) as Batch[];
    expect(rowLevel.map(describeBatch)).toEqual(columnar.map(describeBatch));
    const first = rowLevel[0]!;
    expect((first['i32'] as NDArray).dtype).toBe('int32');
    expect((first['name'] as unknown[])[0]).toBeNull();
    expect(Array.isArray(first['tags'])).toBe(true);
  });

  it('keeps digits labels int32 through shuffle, as the training example feeds them', async () => {
    const [batch] = (await Dataset.fromParquet(digits, { columns: ['pixels', 'label'] })
      .shuffle(64, { seed: 3 })
      .batch(8)
      .take(1)
      .toArray()) as Batch[];
    expect((batch!['label'] as NDArray).dtype).toBe('int32');
    expect((batch!['pixels'] as NDArray).shape).toEqual([8, 64]);
  });

  it('resumes a shuffled pass holding rows with timestamps, nulls and int32 exactly, kinds included', async () => {
    const pipeline = () => Dataset.fromParquet(types).shuffle(12, { seed: 5 }).batch(6);
    const uninterrupted = ((await pipeline().toArray()) as Batch[]).map(describeBatch);
    const it1 = pipeline().iterator();
    const head: Batch[] = [];
    for (let i = 0; i < 2; i++) head.push((await it1.next()).value as Batch);
    const state = JSON.parse(JSON.stringify(it1.saveState()));
    await it1.close();
    const rest: Batch[] = [];
    const it2 = pipeline().iterator({ state });
    for (let r = await it2.next(); !r.done; r = await it2.next()) rest.push(r.value as Batch);
    expect([...head, ...rest].map(describeBatch)).toEqual(uninterrupted);
    expect((rest[0]!['i32'] as NDArray).dtype).toBe('int32');
    expect((rest[0]!['ts'] as unknown[]).some((t) => t instanceof Date)).toBe(true);
  });

  it('rows stay plain-looking objects: own enumerable fields only, JSON as before', async () => {
    const [row] = (await Dataset.fromParquet(digits, { columns: ['label'] })
      .take(1)
      .toArray()) as Record<string, unknown>[];
    expect(Object.keys(row!)).toEqual(['label']);
    expect(JSON.stringify(row)).toBe('{"label":0}');
    expect({ ...row }).toEqual({ label: 0 });
  });
});
