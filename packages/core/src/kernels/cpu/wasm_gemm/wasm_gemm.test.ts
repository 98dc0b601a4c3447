import { afterEach, describe, expect, it, vi } from 'vitest';
import { gemmFloat32, gemmFloat32Js } from '../gemm.js';
import { gemmFloat32Wasm, wasmGemmAvailable } from './wasm_gemm.js';

type Gemm = typeof gemmFloat32;

/** Deterministic values in [-0.5, 0.5) (an LCG), so failures reproduce. */
function randomFloats(length: number, seed: number): Float32Array {
  const data = new Float32Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 32 - 0.5;
  }
  return data;
}

interface Product {
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
}

interface Operands {
  a: Float32Array;
  b: Float32Array;
  aOff: number;
  bOff: number;
  outOff: number;
}

/** A and B placed at non-zero offsets inside larger arrays, as batched matMul passes them. */
function makeOperands({ m, k, n }: Product, seed: number): Operands {
  const aOff = 3;
  const bOff = 5;
  return { a: randomFloats(aOff + m * k + 2, seed), b: randomFloats(bOff + k * n + 2, seed + 1), aOff, bOff, outOff: 7 };
}

/** float64 reference, plus sum |a*b| per element (the scale of float32 rounding error). */
function reference({ m, k, n, transA, transB }: Product, { a, b, aOff, bOff }: Operands): { value: Float64Array; scale: Float64Array } {
  const value = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let abs = 0;
      for (let p = 0; p < k; p++) {
        const x = a[aOff + (transA ? p * m + i : i * k + p)]!;
        const y = b[bOff + (transB ? j * k + p : p * n + j)]!;
        sum += x * y;
        abs += Math.abs(x * y);
      }
      value[i * n + j] = sum;
      scale[i * n + j] = abs;
    }
  }
  return { value, scale };
}

const SENTINEL = -12345;

/** Runs one GEMM into an output with sentinels around the product and NaN inside (so every element must be written). */
function run(gemm: Gemm, product: Product, operands: Operands): Float32Array {
  const { m, k, n, transA, transB } = product;
  const out = new Float32Array(operands.outOff + m * n + 4).fill(SENTINEL);
  out.fill(Number.NaN, operands.outOff, operands.outOff + m * n);
  gemm(operands.a, operands.aOff, operands.b, operands.bOff, out, operands.outOff, m, k, n, transA, transB);
  return out;
}

/**
 * Checks `out` against the float64 reference within the worst-case float32 summation bound
 * (k+2 roundings of 2^-24 relative to sum |a*b|), which holds for any accumulation order.
 */
function expectMatchesReference(out: Float32Array, product: Product, operands: Operands, label: string): void {
  const { m, k, n } = product;
  const { value, scale } = reference(product, operands);
  const unit = 2 ** -24;
  let worst = 0;
  for (let e = 0; e < m * n; e++) {
    const error = Math.abs(out[operands.outOff + e]! - value[e]!);
    const bound = (k + 2) * unit * scale[e]! + 1e-30;
    worst = Math.max(worst, error / bound);
  }
  expect(worst, `${label}: worst error / float32 bound for ${JSON.stringify(product)}`).toBeLessThanOrEqual(1);
  for (let e = 0; e < operands.outOff; e++) expect(out[e], `${label}: wrote before outOff`).toBe(SENTINEL);
  for (let e = operands.outOff + m * n; e < out.length; e++) expect(out[e], `${label}: wrote past the product`).toBe(SENTINEL);
}

const TRANSPOSES: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];

/** Edge tiles: sizes around the 4x8 tile, 1, primes; and block edges: k past KC=256, m past MC=128, n past NC=512. */
const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 7, 9], [2, 3, 8], [3, 5, 17], [4, 4, 8], [4, 1, 1], [5, 13, 7], [7, 2, 3], [8, 8, 8], [9, 31, 15],
  [13, 17, 19], [16, 64, 24], [31, 29, 33], [37, 300, 11], [129, 41, 6], [6, 11, 515], [1, 300, 40], [2, 64, 33],
  [131, 517, 521],
];

/** The suite also runs with TSFLOW_WASM_GEMM=0 (the JS-only configuration): wasm-only checks are skipped then. */
const wasmSwitchedOn = process.env['TSFLOW_WASM_GEMM'] !== '0';

describe('wasm GEMM', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('is available on this Node (WebAssembly SIMD) unless switched off, so the parity tests below exercise it', () => {
    expect(wasmGemmAvailable()).toBe(wasmSwitchedOn);
  });

  describe.each(TRANSPOSES)('transA=%s transB=%s', (transA, transB) => {
    it.each(SHAPES)('m=%i k=%i n=%i: wasm and JS both match a float64 reference', (m, k, n) => {
      const product = { m, k, n, transA, transB };
      const operands = makeOperands(product, m * 1000 + k * 10 + n);
      if (wasmSwitchedOn) expectMatchesReference(run(gemmFloat32Wasm, product, operands), product, operands, 'wasm');
      expectMatchesReference(run(gemmFloat32Js, product, operands), product, operands, 'js');
      expectMatchesReference(run(gemmFloat32, product, operands), product, operands, 'dispatch');
    });
  });

  it.skipIf(!wasmSwitchedOn)('accumulates well within the float32 bound on a long dot product (k=4099, several KC slices)', () => {
    const product = { m: 5, k: 4099, n: 9, transA: false, transB: true };
    const operands = makeOperands(product, 42);
    expectMatchesReference(run(gemmFloat32Wasm, product, operands), product, operands, 'wasm');
  });

  it('gemmFloat32 writes zeros for k=0 and nothing for m=0 or n=0', () => {
    const out = new Float32Array(10).fill(SENTINEL);
    gemmFloat32(new Float32Array(0), 0, new Float32Array(0), 0, out, 2, 2, 0, 3, false, false);
    expect(Array.from(out)).toEqual([SENTINEL, SENTINEL, 0, 0, 0, 0, 0, 0, SENTINEL, SENTINEL]);
    const untouched = new Float32Array(4).fill(SENTINEL);
    gemmFloat32(new Float32Array(4), 0, new Float32Array(4), 0, untouched, 0, 0, 4, 1, false, false);
    gemmFloat32(new Float32Array(4), 0, new Float32Array(4), 0, untouched, 0, 1, 4, 0, false, false);
    expect(Array.from(untouched)).toEqual([SENTINEL, SENTINEL, SENTINEL, SENTINEL]);
  });

  it.skipIf(!wasmSwitchedOn)('gives the same results on repeated calls of different sizes (the wasm memory is reused)', () => {
    const big = { m: 140, k: 300, n: 520, transA: false, transB: false };
    const small = { m: 6, k: 5, n: 9, transA: true, transB: false };
    const bigOperands = makeOperands(big, 7);
    const smallOperands = makeOperands(small, 8);
    const first = run(gemmFloat32Wasm, small, smallOperands);
    run(gemmFloat32Wasm, big, bigOperands);
    expect(Array.from(run(gemmFloat32Wasm, small, smallOperands))).toEqual(Array.from(first));
  });

  it('TSFLOW_WASM_GEMM=0 switches the wasm path off', async () => {
    vi.stubEnv('TSFLOW_WASM_GEMM', '0');
    vi.resetModules();
    const fresh = await import('./wasm_gemm.js');
    // The error class of the freshly loaded module graph (resetModules reloads errors.js too).
    const freshErrors = await import('../../../errors.js');
    expect(fresh.wasmGemmAvailable()).toBe(false);
    const call = (): void => fresh.gemmFloat32Wasm(new Float32Array(16), 0, new Float32Array(16), 0, new Float32Array(16), 0, 4, 4, 4, false, false);
    expect(call).toThrow(freshErrors.FailedPreconditionError);
    expect(call).toThrow(/gemmFloat32Wasm: the wasm GEMM is unavailable/);
    // The dispatching entry point still computes, on the JS path.
    const dispatch = await import('../gemm.js');
    const product = { m: 20, k: 30, n: 40, transA: false, transB: true };
    const operands = makeOperands(product, 9);
    expectMatchesReference(run(dispatch.gemmFloat32, product, operands), product, operands, 'js via switch');
  });
});
