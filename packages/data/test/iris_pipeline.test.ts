import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NDArray } from '@tsflow/core';
import { Dataset } from '../src/dataset.js';

/** iris.csv (scikit-learn's copy): a metadata line, then 4 features + integer class per row. */
function loadIris(): { x: NDArray; y: NDArray } {
  const lines = readFileSync(new URL('../../../test-fixtures/csv/iris.csv', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  const x = new Float32Array(lines.length * 4);
  const y = new Int32Array(lines.length);
  lines.forEach((line, row) => {
    const fields = line.split(',').map(Number);
    x.set(fields.slice(0, 4), row * 4);
    y[row] = fields[4]!;
  });
  return { x: new NDArray('float32', [lines.length, 4], x), y: new NDArray('int32', [lines.length], y) };
}

type IrisBatch = { x: NDArray; y: NDArray };

const total = (array: NDArray): number => Array.from(array.data).reduce((a, v) => a + v, 0);

describe('a training input pipeline over iris', () => {
  const iris = loadIris();
  const build = () =>
    Dataset.fromTensorSlices({ x: iris.x, y: iris.y }).shuffle(150, { seed: 42 }).batch(32).repeat(2).prefetch(2);

  it('yields shuffled [32, 4] float32 / [32] int32 batches, every row once per epoch', async () => {
    const batches = (await build().toArray()) as unknown as IrisBatch[];
    expect(batches).toHaveLength(10); // 4 full + 1 of 22, twice
    expect(batches[0]!.x.shape).toEqual([32, 4]);
    expect(batches[0]!.y.dtype).toBe('int32');
    expect(batches[4]!.y.shape).toEqual([22]);
    for (const epoch of [batches.slice(0, 5), batches.slice(5)]) {
      const labels = epoch.flatMap((b) => Array.from(b.y.data));
      expect([0, 1, 2].map((c) => labels.filter((l) => l === c).length)).toEqual([50, 50, 50]);
      const featureSum = epoch.reduce((sum, b) => sum + total(b.x), 0);
      expect(featureSum).toBeCloseTo(total(iris.x), 1);
    }
    const firstLabels = (b: IrisBatch[]) => b.slice(0, 5).flatMap((batch) => Array.from(batch.y.data));
    expect(firstLabels(batches.slice(5))).not.toEqual(firstLabels(batches));
  });

  it('resumes mid-epoch from a JSON state with the same batches an uninterrupted run gives', async () => {
    const full = ((await build().toArray()) as unknown as IrisBatch[]).map((b) => Array.from(b.y.data));
    const it1 = build().iterator();
    for (let i = 0; i < 7; i++) await it1.next();
    const state = JSON.parse(JSON.stringify(it1.saveState()));
    await it1.close();
    const rest: number[][] = [];
    for await (const b of build().iterator({ state })) rest.push(Array.from((b as unknown as IrisBatch).y.data));
    expect(rest).toEqual(full.slice(7));
  });
});
