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
/** Index of the limit 0 (negative limits below it, positive above). */
const ZERO = DEFAULT_LIMITS.indexOf(0);

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
 * weight histograms. Instead |v| is located by its float64 exponent and top mantissa bits: each
 * such cell is under 1.6% wide, buckets are 10% wide, so the cell's precomputed answer is at
 * most one bucket off and one compare settles it.
 */
const MANTISSA_BITS = 6;
const MIN_EXPONENT = 1023 - 41; // 2^-41 < 1e-12: below it every value is in the buckets around 0
const MAX_EXPONENT = 1023 + 67; // 2^68 > 1e20: above it only ±DBL_MAX's buckets remain
const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
const HIGH_WORD = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 1 : 0; // little-endian: word 1
let cellStarts: Int16Array | undefined;

/** For each (exponent, top mantissa bits) cell: the first positive-side bucket past its lower edge, minus ZERO. */
function buildCellStarts(): Int16Array {
  const cells = new Int16Array((MAX_EXPONENT - MIN_EXPONENT + 1) << MANTISSA_BITS);
  for (let e = MIN_EXPONENT; e <= MAX_EXPONENT; e++) {
    for (let top = 0; top < 1 << MANTISSA_BITS; top++) {
      const cellFloor = 2 ** (e - 1023) * (1 + top / (1 << MANTISSA_BITS));
      cells[((e - MIN_EXPONENT) << MANTISSA_BITS) | top] = searchBucket(cellFloor) - ZERO;
    }
  }
  return cells;
}

function bucketIndex(value: number, cells: Int16Array): number {
  scratch[0] = value;
  const high = words[HIGH_WORD]!;
  const exponent = (high >>> 20) & 0x7ff;
  let index: number;
  if (exponent < MIN_EXPONENT) index = ZERO;
  else if (exponent > MAX_EXPONENT) index = value > 0 ? LAST : 0;
  else {
    const offset = cells[((exponent - MIN_EXPONENT) << MANTISSA_BITS) | ((high >>> (20 - MANTISSA_BITS)) & ((1 << MANTISSA_BITS) - 1))]!;
    // A negative value's cell floor mirrors to the bucket just above it; larger magnitudes sit lower.
    index = value > 0 ? ZERO + offset : ZERO - offset + 1;
  }
  while (index > 0 && DEFAULT_LIMITS[index - 1]! > value) index--;
  while (index < LAST && DEFAULT_LIMITS[index]! <= value) index++;
  return index;
}

/**
 * A histogram of the finite values as TF's `Histogram::EncodeToProto` builds it: runs of empty
 * buckets are collapsed into one, so the proto stays small.
 */
export function buildHistogram(values: NDArray | readonly number[]): HistogramValue {
  const data: ArrayLike<number> = Array.isArray(values) ? values : (values as NDArray).data;
  const cells = (cellStarts ??= buildCellStarts());
  const counts = new Float64Array(DEFAULT_LIMITS.length);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let num = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) continue;
    counts[bucketIndex(v, cells)]!++;
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
