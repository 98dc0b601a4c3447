import type { TypedArray } from '../../dtype.js';

const TILE = 32;

/**
 * Writes `dst` in row-major order of `shape`, reading element `idx` from
 * `src[srcOffset + Σ idx[d] * srcStrides[d]]`. Transpose (permuted strides), broadcastTo and tile
 * (zero strides) are all this one copy.
 *
 * Dims are merged where the source is contiguous across them, so common cases collapse to a few
 * long runs: stride-1 runs are block copies, stride-0 runs are fills, and a strided innermost dim
 * (a real transpose) is walked in 32x32 tiles so reads and writes both stay in cache.
 */
export function stridedCopy(
  src: TypedArray,
  srcOffset: number,
  srcStrides: readonly number[],
  shape: readonly number[],
  dst: TypedArray,
): void {
  const { dims, strides } = mergeDims(shape, srcStrides);
  const total = dst.length;
  if (total === 0) return;
  const rank = dims.length;
  if (rank === 0) {
    dst[0] = src[srcOffset]!;
    return;
  }
  const n = dims[rank - 1]!;
  const s = strides[rank - 1]!;
  if (rank >= 2 && s !== 0 && s !== 1) {
    copyTiled(src, srcOffset, dims, strides, dst);
    return;
  }
  // Odometer over all dims but the innermost.
  const outerRank = rank - 1;
  const idx = new Array<number>(outerRank).fill(0);
  let inOff = srcOffset;
  for (let outOff = 0; outOff < total; outOff += n) {
    if (s === 1) {
      if (n >= 64) dst.set(src.subarray(inOff, inOff + n), outOff);
      else for (let j = 0; j < n; j++) dst[outOff + j] = src[inOff + j]!;
    } else if (s === 0) {
      dst.fill(src[inOff]!, outOff, outOff + n);
    } else {
      for (let j = 0; j < n; j++) dst[outOff + j] = src[inOff + j * s]!;
    }
    for (let d = outerRank - 1; d >= 0; d--) {
      inOff += strides[d]!;
      if (++idx[d]! < dims[d]!) break;
      inOff -= strides[d]! * dims[d]!;
      idx[d] = 0;
    }
  }
}

/** Innermost two dims in tiles; the dims before them by odometer. */
function copyTiled(src: TypedArray, srcOffset: number, dims: number[], strides: number[], dst: TypedArray): void {
  const rank = dims.length;
  const rows = dims[rank - 2]!;
  const cols = dims[rank - 1]!;
  const rowStride = strides[rank - 2]!;
  const colStride = strides[rank - 1]!;
  const plane = rows * cols;
  const outerRank = rank - 2;
  const idx = new Array<number>(outerRank).fill(0);
  let inBase = srcOffset;
  for (let outBase = 0; outBase < dst.length; outBase += plane) {
    for (let r0 = 0; r0 < rows; r0 += TILE) {
      const r1 = Math.min(rows, r0 + TILE);
      for (let c0 = 0; c0 < cols; c0 += TILE) {
        const c1 = Math.min(cols, c0 + TILE);
        for (let r = r0; r < r1; r++) {
          const o = outBase + r * cols;
          const i = inBase + r * rowStride;
          for (let c = c0; c < c1; c++) dst[o + c] = src[i + c * colStride]!;
        }
      }
    }
    for (let d = outerRank - 1; d >= 0; d--) {
      inBase += strides[d]!;
      if (++idx[d]! < dims[d]!) break;
      inBase -= strides[d]! * dims[d]!;
      idx[d] = 0;
    }
  }
}

/** Drops size-1 dims and merges neighbours that the source walks contiguously. */
function mergeDims(shape: readonly number[], srcStrides: readonly number[]): { dims: number[]; strides: number[] } {
  const dims: number[] = [];
  const strides: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (d === 1) continue;
    const s = srcStrides[i]!;
    const last = dims.length - 1;
    if (last >= 0 && strides[last] === s * d) {
      dims[last] = dims[last]! * d;
      strides[last] = s;
    } else {
      dims.push(d);
      strides.push(s);
    }
  }
  return { dims, strides };
}
