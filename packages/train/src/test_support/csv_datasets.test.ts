import { describe, expect, it } from 'vitest';
import { loadFixture, shuffleRows, standardize } from './csv_datasets.js';

describe('fixture CSV loader', () => {
  it.each([
    ['iris', 150, 4, 3],
    ['wine', 178, 13, 3],
    ['digits', 1797, 64, 10],
  ] as const)('%s has %d rows, %d features, %d classes', (name, rows, cols, classes) => {
    const data = loadFixture(name);
    expect(data.features.shape).toEqual([rows, cols]);
    expect(data.labels.shape).toEqual([rows]);
    expect(data.classCount).toBe(classes);
  });

  it('reads iris values and class counts as documented', () => {
    const iris = loadFixture('iris');
    expect(Array.from(iris.features.data.slice(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2].map(Math.fround));
    const counts = [0, 0, 0];
    for (const label of iris.labels.data) counts[label]!++;
    expect(counts).toEqual([50, 50, 50]);
  });

  it('standardizes columns and shuffles rows with their labels', () => {
    const iris = loadFixture('iris');
    const z = standardize(iris.features);
    let mean = 0;
    for (let r = 0; r < 150; r++) mean += z.data[r * 4]!;
    expect(Math.abs(mean / 150)).toBeLessThan(1e-5);
    const shuffled = shuffleRows(iris, 3);
    const firstRow = Array.from(shuffled.features.data.slice(0, 4));
    const original = Array.from({ length: 150 }, (_, r) =>
      Array.from(iris.features.data.slice(r * 4, r * 4 + 4)).join(),
    ).indexOf(firstRow.join());
    expect(shuffled.labels.data[0]).toBe(iris.labels.data[original]);
  });
});
