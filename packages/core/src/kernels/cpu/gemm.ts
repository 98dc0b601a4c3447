/**
 * Cache-blocked float32 matrix multiply on typed arrays: the hot loop of training (dense
 * layers, their gradients and conv2d via im2col all land here).
 *
 * Two loop orders, chosen by where op(B)'s rows live:
 * - B not transposed: `out[i,:] += A[i,p] * B[p,:]`, four p at a time so every load/store of an
 *   accumulator row does four multiply-adds; p and j are tiled so the B tile stays in L2 while
 *   all rows of A stream past it. A transposed only changes how the scalar A[i,p] is read.
 * - B transposed (B stored [n,k]): rows of A and B are both contiguous along p, so each output is
 *   a dot product; a 2x2 register block reuses every loaded value twice.
 * Accumulation is in float64 (a reused scratch), rounded once into the float32 output.
 */

const P_TILE = 128;
const J_TILE = 256;
const DOT_J_TILE = 32;

let scratch = new Float64Array(0);

function scratchOfSize(size: number): Float64Array {
  if (scratch.length < size) scratch = new Float64Array(Math.max(size, scratch.length * 2));
  return scratch;
}

/** out[outOff..] = op(A)·op(B) for one [m,k]x[k,n] product; A is [m,k] ([k,m] when transA). */
export function gemmFloat32(
  a: Float32Array, aOff: number, b: Float32Array, bOff: number, out: Float32Array, outOff: number,
  m: number, k: number, n: number, transA: boolean, transB: boolean,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    out.fill(0, outOff, outOff + m * n);
    return;
  }
  if (transB) {
    if (transA) {
      // Both transposed: materialise A (O(mk), small next to the O(mkn) product) and use the dot form.
      const at = new Float32Array(m * k);
      for (let p = 0; p < k; p++) {
        const row = aOff + p * m;
        for (let i = 0; i < m; i++) at[i * k + p] = a[row + i]!;
      }
      gemmDot(at, 0, b, bOff, out, outOff, m, k, n);
    } else {
      gemmDot(a, aOff, b, bOff, out, outOff, m, k, n);
    }
    return;
  }
  gemmRows(a, aOff, b, bOff, out, outOff, m, k, n, transA);
}

function gemmRows(
  a: Float32Array, aOff: number, b: Float32Array, bOff: number, out: Float32Array, outOff: number,
  m: number, k: number, n: number, transA: boolean,
): void {
  const acc = scratchOfSize(m * n);
  acc.fill(0, 0, m * n);
  // A[i,p] lives at aOff + i*aRow + p*aCol.
  const aRow = transA ? 1 : k;
  const aCol = transA ? m : 1;
  for (let p0 = 0; p0 < k; p0 += P_TILE) {
    const p1 = Math.min(k, p0 + P_TILE);
    for (let j0 = 0; j0 < n; j0 += J_TILE) {
      const j1 = Math.min(n, j0 + J_TILE);
      for (let i = 0; i < m; i++) {
        const aBase = aOff + i * aRow;
        const accRow = i * n;
        let p = p0;
        for (; p + 3 < p1; p += 4) {
          const a0 = a[aBase + p * aCol]!;
          const a1 = a[aBase + (p + 1) * aCol]!;
          const a2 = a[aBase + (p + 2) * aCol]!;
          const a3 = a[aBase + (p + 3) * aCol]!;
          const b0 = bOff + p * n;
          const b1 = b0 + n;
          const b2 = b1 + n;
          const b3 = b2 + n;
          for (let j = j0; j < j1; j++) {
            acc[accRow + j] = acc[accRow + j]! + a0 * b[b0 + j]! + a1 * b[b1 + j]! + a2 * b[b2 + j]! + a3 * b[b3 + j]!;
          }
        }
        for (; p < p1; p++) {
          const a0 = a[aBase + p * aCol]!;
          const b0 = bOff + p * n;
          for (let j = j0; j < j1; j++) acc[accRow + j] = acc[accRow + j]! + a0 * b[b0 + j]!;
        }
      }
    }
  }
  const size = m * n;
  for (let i = 0; i < size; i++) out[outOff + i] = acc[i]!;
}

/** out[i,j] = dot(A[i,:], B[j,:]) with A [m,k] and B [n,k], both row-major. */
function gemmDot(
  a: Float32Array, aOff: number, b: Float32Array, bOff: number, out: Float32Array, outOff: number,
  m: number, k: number, n: number,
): void {
  for (let j0 = 0; j0 < n; j0 += DOT_J_TILE) {
    const j1 = Math.min(n, j0 + DOT_J_TILE);
    let i = 0;
    for (; i + 1 < m; i += 2) {
      const r0 = aOff + i * k;
      const r1 = r0 + k;
      let j = j0;
      for (; j + 1 < j1; j += 2) {
        const c0 = bOff + j * k;
        const c1 = c0 + k;
        let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
        for (let p = 0; p < k; p++) {
          const x0 = a[r0 + p]!;
          const x1 = a[r1 + p]!;
          const y0 = b[c0 + p]!;
          const y1 = b[c1 + p]!;
          s00 += x0 * y0;
          s01 += x0 * y1;
          s10 += x1 * y0;
          s11 += x1 * y1;
        }
        out[outOff + i * n + j] = s00;
        out[outOff + i * n + j + 1] = s01;
        out[outOff + (i + 1) * n + j] = s10;
        out[outOff + (i + 1) * n + j + 1] = s11;
      }
      for (; j < j1; j++) {
        const c0 = bOff + j * k;
        let s0 = 0, s1 = 0;
        for (let p = 0; p < k; p++) {
          const y = b[c0 + p]!;
          s0 += a[r0 + p]! * y;
          s1 += a[r1 + p]! * y;
        }
        out[outOff + i * n + j] = s0;
        out[outOff + (i + 1) * n + j] = s1;
      }
    }
    for (; i < m; i++) {
      const r0 = aOff + i * k;
      for (let j = j0; j < j1; j++) {
        const c0 = bOff + j * k;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[r0 + p]! * b[c0 + p]!;
        out[outOff + i * n + j] = s;
      }
    }
  }
}

/** int32 product with int32 wrap-around (as TF's int32 MatMul). Plain loop: ints are rare here. */
export function gemmInt32(
  a: Int32Array, aOff: number, b: Int32Array, bOff: number, out: Int32Array, outOff: number,
  m: number, k: number, n: number, transA: boolean, transB: boolean,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const x = a[aOff + (transA ? p * m + i : i * k + p)]!;
        const y = b[bOff + (transB ? j * k + p : p * n + j)]!;
        s = (s + Math.imul(x, y)) | 0;
      }
      out[outOff + i * n + j] = s;
    }
  }
}
