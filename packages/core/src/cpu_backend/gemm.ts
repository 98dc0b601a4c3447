/**
 * Cache-blocked float32 matrix multiply on typed arrays: the hot loop of training (dense
 * layers, their gradients and conv2d via im2col all land here).
 *
 * The classic packed layout (as in GotoBLAS/BLIS): for each KC-deep slice of the product, the
 * needed part of op(B) is copied into NR-wide column panels and blocks of op(A) into MR-tall row
 * panels, both laid out in the order the micro-kernel reads them. The micro-kernel then keeps a
 * 4x4 tile of C in local variables (registers) and streams the two panels sequentially: 16
 * multiply-adds per 8 loads, with the B block staying in L2 and the A panel in L1.
 * Transposes cost nothing extra: they only change the strides the packing reads with, so no
 * transposed copy of a whole matrix is ever made. Tiles accumulate in float64 and are added into
 * the float32 output once per KC slice. Products with fewer than MR rows skip the packing.
 *
 * gemmFloat32 hands larger products to the WebAssembly SIMD GEMM (cpu_backend/wasm/gemm.wat,
 * 5-8x this JS micro-kernel, float32 tile accumulation), which works on the tensor heap in place,
 * when the runtime supports it; TSFLOW_WASM_GEMM=0 (or TSFLOW_WASM=0) in the environment forces
 * this JS path (gemmFloat32Js) everywhere.
 */
import type { KernelContext } from '../kernel_registry.js';
import { heapGemm } from './heap_gemm.js';

const MR = 4;
const NR = 4;
/** Depth of one packed slice: an MR x KC A panel (4 KiB) stays in L1. */
const KC = 256;
/** Rows of A packed at once: MC x KC floats (64 KiB) for L2. */
const MC = 64;
/** Columns of B packed at once: KC x NC floats (512 KiB). */
const NC = 512;

let packedA: Float32Array = new Float32Array(MC * KC);
let packedB: Float32Array = new Float32Array(KC * NC);
const edgeTile = new Float64Array(MR * NR);

/**
 * Multiply-adds (m*k*n) below which a product stays on the JS path: there the fixed costs of the
 * wasm path (a call per block, copying C through wasm memory) outweigh its faster tiles.
 */
const WASM_MIN_WORK = 1024;

/** What gemmFloat32 does to each result before storing it. */
export interface GemmEpilogue {
  /** Added to every row (one value per column). */
  bias?: Float32Array;
  /** Negatives become 0 (after the bias). */
  relu?: boolean;
  /** out += op(A)·op(B) instead of out = ... (the bias and relu then don't apply). */
  accumulate?: boolean;
}

/**
 * out[outOff..] = op(A)·op(B) (+ epilogue) for one [m,k]x[k,n] product; A is [m,k] ([k,m] when
 * transA), B is [k,n] ([n,k] when transB). `ctx` (a Session's kernel context) supplies the run's
 * memory for copying operands into the heap and the thread count.
 */
export function gemmFloat32(
  a: Float32Array,
  aOff: number,
  b: Float32Array,
  bOff: number,
  out: Float32Array,
  outOff: number,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  ctx?: KernelContext,
  epilogue: GemmEpilogue = {},
): void {
  if (epilogue.accumulate && (epilogue.bias || epilogue.relu))
    throw new Error('gemmFloat32: an accumulating product takes no bias or relu');
  // Also for m < MR (a single example): padded to a whole tile, wasm still beats the JS row loop.
  if (
    m > 0 &&
    k > 0 &&
    n > 0 &&
    m * k * n >= WASM_MIN_WORK &&
    heapGemm(a, aOff, b, bOff, out, outOff, m, k, n, transA, transB, ctx, epilogue)
  ) {
    return;
  }
  if (epilogue.accumulate) {
    const product = ctx?.memory ? (ctx.memory.array('float32', m * n) as Float32Array) : new Float32Array(m * n);
    gemmFloat32Js(a, aOff, b, bOff, product, 0, m, k, n, transA, transB);
    for (let i = 0; i < product.length; i++) out[outOff + i] = out[outOff + i]! + product[i]!;
    return;
  }
  gemmFloat32Js(a, aOff, b, bOff, out, outOff, m, k, n, transA, transB);
  if (epilogue.bias || epilogue.relu) applyEpilogue(out, outOff, m, n, epilogue.bias, epilogue.relu === true);
}

/** Bias and relu over an [m, n] block, as the wasm GEMM's store does them. */
export function applyEpilogue(
  out: Float32Array,
  outOff: number,
  m: number,
  n: number,
  bias: Float32Array | undefined,
  relu: boolean,
): void {
  for (let i = 0; i < m; i++) {
    const row = outOff + i * n;
    for (let j = 0; j < n; j++) {
      let v = out[row + j]!;
      if (bias) v = Math.fround(v + bias[j]!);
      // `v < 0 ? 0 : v` lets NaN (and -0) through, like the Relu kernel.
      out[row + j] = relu && v < 0 ? 0 : v;
    }
  }
}

/** The pure-JS GEMM (float64 tile accumulation): same contract as gemmFloat32. */
export function gemmFloat32Js(
  a: Float32Array,
  aOff: number,
  b: Float32Array,
  bOff: number,
  out: Float32Array,
  outOff: number,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    out.fill(0, outOff, outOff + m * n);
    return;
  }
  // op(A)(i, p) = a[aOff + i*aI + p*aP];  op(B)(p, j) = b[bOff + p*bP + j*bJ]
  const aI = transA ? 1 : k;
  const aP = transA ? m : 1;
  const bP = transB ? 1 : n;
  const bJ = transB ? k : 1;
  if (m < MR) {
    // One or a few rows (inference on a single example): packing B would cost as much as the product.
    gemmFewRows(a, aOff, aI, aP, b, bOff, bP, bJ, out, outOff, m, k, n);
    return;
  }
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    const nPanels = Math.ceil(nc / NR);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packedB = packPanels(b, bOff + pc * bP + jc * bJ, bJ, bP, kc, nc, NR, packedB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        const mPanels = Math.ceil(mc / MR);
        packedA = packPanels(a, aOff + ic * aI + pc * aP, aI, aP, kc, mc, MR, packedA);
        for (let jp = 0; jp < nPanels; jp++) {
          const j0 = jc + jp * NR;
          const width = Math.min(NR, n - j0);
          for (let ip = 0; ip < mPanels; ip++) {
            const i0 = ic + ip * MR;
            microKernel(
              ip * kc * MR,
              jp * kc * NR,
              kc,
              out,
              outOff + i0 * n + j0,
              n,
              Math.min(MR, m - i0),
              width,
              pc > 0,
            );
          }
        }
      }
    }
  }
}

/** Row-at-a-time product for m < MR: a float64 accumulator row when B's rows are contiguous, dot products otherwise. */
function gemmFewRows(
  a: Float32Array,
  aOff: number,
  aI: number,
  aP: number,
  b: Float32Array,
  bOff: number,
  bP: number,
  bJ: number,
  out: Float32Array,
  outOff: number,
  m: number,
  k: number,
  n: number,
): void {
  for (let i = 0; i < m; i++) {
    const aRow = aOff + i * aI;
    const o = outOff + i * n;
    if (bJ === 1) {
      const acc = accumulatorRow(n);
      acc.fill(0, 0, n);
      for (let p = 0; p < k; p++) {
        const x = a[aRow + p * aP]!;
        const bRow = bOff + p * bP;
        for (let j = 0; j < n; j++) acc[j] = acc[j]! + x * b[bRow + j]!;
      }
      for (let j = 0; j < n; j++) out[o + j] = acc[j]!;
    } else {
      for (let j = 0; j < n; j++) {
        const bCol = bOff + j * bJ;
        let sum = 0;
        for (let p = 0; p < k; p++) sum += a[aRow + p * aP]! * b[bCol + p * bP]!;
        out[o + j] = sum;
      }
    }
  }
}

let accumulator = new Float64Array(0);

function accumulatorRow(n: number): Float64Array {
  if (accumulator.length < n) accumulator = new Float64Array(n);
  return accumulator;
}

/**
 * Copies a kc-deep block of `extent` lines into `width`-wide panels, depth-major inside a panel
 * (element (x, p) read at start + x*sX + p*sP), zero-padded to whole panels; returns `dst`, grown
 * when too small. op(B) packs along j (NR wide), op(A) along i (MR tall).
 */
function packPanels(
  src: Float32Array,
  start: number,
  sX: number,
  sP: number,
  kc: number,
  extent: number,
  width: number,
  dst: Float32Array,
): Float32Array {
  const panels = Math.ceil(extent / width);
  const packed = dst.length < kc * panels * width ? new Float32Array(kc * panels * width) : dst;
  for (let panel = 0; panel < panels; panel++) {
    const base = panel * kc * width;
    const x0 = panel * width;
    const lines = Math.min(width, extent - x0);
    for (let p = 0; p < kc; p++) {
      const from = start + x0 * sX + p * sP;
      const d = base + p * width;
      let x = 0;
      for (; x < lines; x++) packed[d + x] = src[from + x * sX]!;
      for (; x < width; x++) packed[d + x] = 0;
    }
  }
  return packed;
}

/** One MR x NR tile of C from an A panel and a B panel; `accumulate` adds to the previous KC slices. */
function microKernel(
  aBase: number,
  bBase: number,
  kc: number,
  out: Float32Array,
  o: number,
  n: number,
  height: number,
  width: number,
  accumulate: boolean,
): void {
  const pa = packedA;
  const pb = packedB;
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0;
  let c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0;
  let c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0;
  for (let p = 0; p < kc; p++) {
    const qa = aBase + p * MR;
    const qb = bBase + p * NR;
    const a0 = pa[qa]!,
      a1 = pa[qa + 1]!,
      a2 = pa[qa + 2]!,
      a3 = pa[qa + 3]!;
    const b0 = pb[qb]!,
      b1 = pb[qb + 1]!,
      b2 = pb[qb + 2]!,
      b3 = pb[qb + 3]!;
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
  }
  if (height === MR && width === NR) {
    const o1 = o + n;
    const o2 = o1 + n;
    const o3 = o2 + n;
    if (accumulate) {
      out[o] = out[o]! + c00;
      out[o + 1] = out[o + 1]! + c01;
      out[o + 2] = out[o + 2]! + c02;
      out[o + 3] = out[o + 3]! + c03;
      out[o1] = out[o1]! + c10;
      out[o1 + 1] = out[o1 + 1]! + c11;
      out[o1 + 2] = out[o1 + 2]! + c12;
      out[o1 + 3] = out[o1 + 3]! + c13;
      out[o2] = out[o2]! + c20;
      out[o2 + 1] = out[o2 + 1]! + c21;
      out[o2 + 2] = out[o2 + 2]! + c22;
      out[o2 + 3] = out[o2 + 3]! + c23;
      out[o3] = out[o3]! + c30;
      out[o3 + 1] = out[o3 + 1]! + c31;
      out[o3 + 2] = out[o3 + 2]! + c32;
      out[o3 + 3] = out[o3 + 3]! + c33;
    } else {
      out[o] = c00;
      out[o + 1] = c01;
      out[o + 2] = c02;
      out[o + 3] = c03;
      out[o1] = c10;
      out[o1 + 1] = c11;
      out[o1 + 2] = c12;
      out[o1 + 3] = c13;
      out[o2] = c20;
      out[o2 + 1] = c21;
      out[o2 + 2] = c22;
      out[o2 + 3] = c23;
      out[o3] = c30;
      out[o3 + 1] = c31;
      out[o3 + 2] = c32;
      out[o3 + 3] = c33;
    }
    return;
  }
  // Edge tile (m or n not a multiple of 4): only the valid part is written.
  const t = edgeTile;
  t[0] = c00;
  t[1] = c01;
  t[2] = c02;
  t[3] = c03;
  t[4] = c10;
  t[5] = c11;
  t[6] = c12;
  t[7] = c13;
  t[8] = c20;
  t[9] = c21;
  t[10] = c22;
  t[11] = c23;
  t[12] = c30;
  t[13] = c31;
  t[14] = c32;
  t[15] = c33;
  for (let ii = 0; ii < height; ii++) {
    const row = o + ii * n;
    for (let jj = 0; jj < width; jj++)
      out[row + jj] = accumulate ? out[row + jj]! + t[ii * NR + jj]! : t[ii * NR + jj]!;
  }
}

/** int32 product with int32 wrap-around (as TF's int32 MatMul). Plain loop: ints are rare here. */
export function gemmInt32(
  a: Int32Array,
  aOff: number,
  b: Int32Array,
  bOff: number,
  out: Int32Array,
  outOff: number,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
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
