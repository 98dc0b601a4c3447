import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { NDArray } from '@tsflow/core';

/** The scikit-learn CSVs copied into the repository's test-fixtures/csv (see its README). */
export type FixtureDataset = 'iris' | 'wine' | 'digits';

const FILES: Record<FixtureDataset, { file: string; header: boolean }> = {
  iris: { file: 'iris.csv', header: true },
  wine: { file: 'wine_data.csv', header: true },
  digits: { file: 'digits.csv.gz', header: false },
};

export interface LabelledData {
  /** [rows, features] float32 */
  features: NDArray;
  /** [rows] int32 class ids */
  labels: NDArray;
  classCount: number;
}

const fixturesDir = new URL('../../../../test-fixtures/csv/', import.meta.url);

/** Parses a fixture: every column but the last is a feature, the last is the integer class. */
export function loadFixture(name: FixtureDataset): LabelledData {
  const { file, header } = FILES[name];
  const raw = readFileSync(new URL(file, fixturesDir));
  const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const lines = text.split('\n').filter((line) => line.trim().length > 0);
  const rows = header ? lines.slice(1) : lines;
  const width = rows[0]!.split(',').length;
  const featureCount = width - 1;
  const features = new Float32Array(rows.length * featureCount);
  const labels = new Int32Array(rows.length);
  rows.forEach((line, r) => {
    const cells = line.split(',');
    if (cells.length !== width)
      throw new Error(`${file} line ${r + (header ? 2 : 1)}: expected ${width} columns, got ${cells.length}`);
    for (let c = 0; c < featureCount; c++) features[r * featureCount + c] = Number(cells[c]);
    labels[r] = Number(cells[featureCount]);
  });
  const classCount = Math.max(...labels) + 1;
  return {
    features: new NDArray('float32', [rows.length, featureCount], features),
    labels: new NDArray('int32', [rows.length], labels),
    classCount,
  };
}

/** Scales each feature column to zero mean and unit variance (constant columns stay 0). */
export function standardize(features: NDArray): NDArray {
  const [rows, cols] = features.shape as [number, number];
  const src = features.data;
  const out = new Float32Array(src.length);
  for (let c = 0; c < cols; c++) {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += src[r * cols + c]!;
    mean /= rows;
    let variance = 0;
    for (let r = 0; r < rows; r++) variance += (src[r * cols + c]! - mean) ** 2;
    const std = Math.sqrt(variance / rows);
    for (let r = 0; r < rows; r++) out[r * cols + c] = std > 0 ? (src[r * cols + c]! - mean) / std : 0;
  }
  return new NDArray('float32', [rows, cols], out);
}

/** Rows [start, end) of a 1-D or 2-D array (a copy). */
export function sliceRows(array: NDArray, start: number, end: number): NDArray {
  const width = array.rank === 1 ? 1 : array.shape[1]!;
  const shape = array.rank === 1 ? [end - start] : [end - start, width];
  return new NDArray(array.dtype, shape, array.data.slice(start * width, end * width));
}

/** The same rows in a seeded random order (so train/test splits mix the classes). */
export function shuffleRows(data: LabelledData, seed: number): LabelledData {
  const rows = data.labels.size;
  const order = Array.from({ length: rows }, (_, i) => i);
  let state = seed >>> 0;
  for (let i = rows - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const cols = data.features.shape[1]!;
  const features = new Float32Array(rows * cols);
  const labels = new Int32Array(rows);
  order.forEach((from, to) => {
    features.set(data.features.data.subarray(from * cols, (from + 1) * cols), to * cols);
    labels[to] = data.labels.data[from]!;
  });
  return {
    features: new NDArray('float32', [rows, cols], features),
    labels: new NDArray('int32', [rows], labels),
    classCount: data.classCount,
  };
}
