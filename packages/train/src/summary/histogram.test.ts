import { describe, expect, it } from 'vitest';
import { ndarray } from '@tsflow/core';
import { buildHistogram } from './histogram.js';

/**
 * TensorFlow's histogram (tensorflow/core/lib/histogram/histogram.cc) written out literally: the
 * default limits built by its loop, a linear search for the first limit above each value, and
 * EncodeToProto's collapsing of empty-bucket runs. The fast bucket search must agree with it.
 */
function referenceHistogram(values: readonly number[]): { bucketLimit: number[]; bucket: number[] } {
  const positive: number[] = [];
  for (let v = 1e-12; v < 1e20; v *= 1.1) positive.push(v);
  positive.push(Number.MAX_VALUE);
  const limits = [...positive.map((v) => -v).reverse(), 0, ...positive];
  const counts = new Array<number>(limits.length).fill(0);
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    const above = limits.findIndex((limit) => limit > v);
    counts[above === -1 ? limits.length - 1 : above]!++; // DBL_MAX itself: the last bucket
  }
  const bucketLimit: number[] = [];
  const bucket: number[] = [];
  for (let i = 0; i < limits.length; ) {
    let end = limits[i]!;
    const count = counts[i]!;
    i++;
    if (count <= 0) while (i < limits.length && counts[i]! <= 0) end = limits[i++]!;
    bucketLimit.push(end);
    bucket.push(count);
  }
  return { bucketLimit, bucket };
}

describe('buildHistogram', () => {
  it('puts every value in the bucket TF does, across magnitudes, signs and exact limits', () => {
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const values: number[] = [
      0,
      -0,
      1e-13,
      -1e-13,
      1e-12,
      -1e-12,
      1.1e-12,
      1e19,
      -1e19,
      1e21,
      -1e21,
      Number.MAX_VALUE,
      -Number.MAX_VALUE,
    ];
    // Exact limits and their neighbours: the places where a log-based estimate is off by one.
    for (let v = 1e-12; v < 1e20; v *= 1.1)
      for (const near of [v, v * (1 - 2 ** -52), v * (1 + 2 ** -52)]) values.push(near, -near);
    for (let i = 0; i < 3000; i++) values.push((random() - 0.5) * 10 ** Math.floor(random() * 40 - 15));
    for (let i = 0; i < 2000; i++) values.push(Math.fround((random() - 0.5) * 0.2)); // float32 weights
    for (const batch of [values, values.slice(0, 40), values.slice(3000, 3100)]) {
      const h = buildHistogram(batch);
      expect({ bucketLimit: h.bucketLimit, bucket: h.bucket }).toEqual(referenceHistogram(batch));
      expect(h.num).toBe(batch.length);
    }
    // Float32 tensors (what the Trainer logs) are read as bits: the same buckets.
    const weights = new Float32Array(values.filter((v) => Math.abs(v) < 3e38));
    const h = buildHistogram(ndarray(weights));
    expect({ bucketLimit: h.bucketLimit, bucket: h.bucket }).toEqual(referenceHistogram([...weights]));
  });

  it('leaves non-finite values out and keeps the summary statistics of the rest', () => {
    const h = buildHistogram(ndarray(new Float32Array([3, Number.NaN, -2, Number.POSITIVE_INFINITY, 0.5])));
    expect({ min: h.min, max: h.max, num: h.num, sum: h.sum, sumSquares: h.sumSquares }).toEqual({
      min: -2,
      max: 3,
      num: 3,
      sum: 1.5,
      sumSquares: 13.25,
    });
    expect(h.bucket).toEqual(referenceHistogram([3, -2, 0.5]).bucket);
  });

  it('is one empty bucket when no value is finite', () => {
    expect(buildHistogram([Number.NaN])).toEqual({
      min: 0,
      max: 0,
      num: 0,
      sum: 0,
      sumSquares: 0,
      bucketLimit: [Number.MAX_VALUE],
      bucket: [0],
    });
  });
});
