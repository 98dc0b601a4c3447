import type { NDArray } from '@tsflow/core';

/** HistogramProto's fields: summary statistics and buckets (`bucket[i]` counts values up to `bucketLimit[i]`). */
export interface HistogramValue {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimit: number[];
  bucket: number[];
}

/**
 * TF's default bucket limits: ±1e-12 · 1.1^k up to 1e20, zero in the middle and ±DBL_MAX at the
 * ends, so every finite value falls in a bucket whose width is ~10% of its magnitude.
 */
const DEFAULT_LIMITS: readonly number[] = (() => {
  const positive: number[] = [];
  for (let v = 1e-12; v < 1e20; v *= 1.1) positive.push(v);
  positive.push(Number.MAX_VALUE);
  return [...positive.map((v) => -v).reverse(), 0, ...positive];
})();

/** First index whose limit is greater than `value` (TF's `upper_bound`). */
function bucketIndex(value: number): number {
  let lo = 0;
  let hi = DEFAULT_LIMITS.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (DEFAULT_LIMITS[mid]! > value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * A histogram of the finite values as TF's `Histogram::EncodeToProto` builds it: runs of empty
 * buckets are collapsed into one, so the proto stays small.
 */
export function buildHistogram(values: NDArray | readonly number[]): HistogramValue {
  const data: ArrayLike<number> = Array.isArray(values) ? values : (values as NDArray).data;
  const counts = new Float64Array(DEFAULT_LIMITS.length);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let num = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) continue;
    counts[bucketIndex(v)]!++;
    min = Math.min(min, v);
    max = Math.max(max, v);
    num++;
    sum += v;
    sumSquares += v * v;
  }
  const bucketLimit: number[] = [];
  const bucket: number[] = [];
  for (let i = 0; i < DEFAULT_LIMITS.length; ) {
    let end = DEFAULT_LIMITS[i]!;
    const count = counts[i]!;
    i++;
    if (count === 0) while (i < DEFAULT_LIMITS.length && counts[i] === 0) end = DEFAULT_LIMITS[i++]!;
    bucketLimit.push(end);
    bucket.push(count);
  }
  if (num === 0) return { min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimit: [Number.MAX_VALUE], bucket: [0] };
  return { min, max, num, sum, sumSquares, bucketLimit, bucket };
}
