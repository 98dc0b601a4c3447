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
const DEFAULT_LIMITS: Float64Array = (() => {
  const positive: number[] = [];
  for (let v = 1e-12; v < 1e20; v *= 1.1) positive.push(v);
  positive.push(Number.MAX_VALUE);
  return new Float64Array([...positive.map((v) => -v).reverse(), 0, ...positive]);
})();
const LAST = DEFAULT_LIMITS.length - 1;

/** First index whose limit is greater than `value` (TF's `upper_bound`), by binary search. */
function searchBucket(value: number): number {
  let lo = 0;
  let hi = LAST;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (DEFAULT_LIMITS[mid]! > value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/*
 * A binary search per value (~11 unpredictable branches) dominated the Trainer's per-epoch
 * weight histograms. Instead a value is located by the top 15 bits of its float32 form (sign,
 * exponent, 6 mantissa bits): each such cell is under 1.6% wide and buckets are 10% wide, so the
 * cell's precomputed answer is at most a bucket off and a compare settles it. Float32 tensors
 * (weights) are read as bits directly; other values go through Math.fround's bits.
 */
const float32 = new Float32Array(1);
const float32Bits = new Uint32Array(float32.buffer);
let cellStarts: Int16Array | undefined;

/**
 * For each cell: the bucket of its value nearest zero (low bits 0), which is at or below the
 * answer for a positive value of the cell and at or above it for a negative one.
 */
function buildCellStarts(): Int16Array {
  const cells = new Int16Array(1 << 15);
  for (let key = 0; key < cells.length; key++) {
    float32Bits[0] = key << 17;
    cells[key] = searchBucket(float32[0]!); // ±Infinity cells: the end buckets (a double past float32 range)
  }
  return cells;
}

/**
 * A histogram of the finite values as TF's `Histogram::EncodeToProto` builds it: runs of empty
 * buckets are collapsed into one, so the proto stays small.
 */
export function buildHistogram(values: NDArray | readonly number[]): HistogramValue {
  const data: ArrayLike<number> = Array.isArray(values) ? values : (values as NDArray).data;
  const cells = (cellStarts ??= buildCellStarts());
  const bits = data instanceof Float32Array ? new Uint32Array(data.buffer, data.byteOffset, data.length) : undefined;
  const counts = new Float64Array(DEFAULT_LIMITS.length);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let num = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) continue;
    let key: number;
    if (bits !== undefined) key = bits[i]! >>> 17;
    else {
      float32[0] = v;
      key = float32Bits[0]! >>> 17;
    }
    let index = cells[key]!;
    while (index > 0 && DEFAULT_LIMITS[index - 1]! > v) index--;
    while (index < LAST && DEFAULT_LIMITS[index]! <= v) index++;
    counts[index]!++;
    if (v < min) min = v;
    if (v > max) max = v;
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
