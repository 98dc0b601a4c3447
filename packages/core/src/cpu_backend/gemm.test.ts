import { afterEach, describe, expect, it } from 'vitest';
import { heapGemm } from './heap_gemm.js';
import { tensorHeap } from './tensor_heap.js';
import { setWasmKernelsEnabled, wasmGemmKernels } from './wasm_kernels.js';
import { applyEpilogue, gemmFloat32, gemmFloat32Js, type GemmEpilogue } from './gemm.js';

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

/** A copy of `data` in the tensor heap (where the wasm GEMM reads operands in place). */
function inHeap(data: Float32Array): Float32Array {
  const block = tensorHeap()!.alloc(data.byteLength)!;
  const copy = new Float32Array(block.buffer, block.offset, data.length);
  copy.set(data);
  return copy;
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
  return {
    a: randomFloats(aOff + m * k + 2, seed),
    b: randomFloats(bOff + k * n + 2, seed + 1),
    aOff,
    bOff,
    outOff: 7,
  };
}

/** float64 reference, plus sum |a*b| per element (the scale of float32 rounding error). */
function reference(
  { m, k, n, transA, transB }: Product,
  { a, b, aOff, bOff }: Operands,
): { value: Float64Array; scale: Float64Array } {
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

type Gemm = (
  a: Float32Array,
  aOff: number,
  b: Float32Array,
  bOff: number,
  out: Float32Array,
  outOff: number,
  p: Product,
) => void;

const wasmGemm: Gemm = (a, aOff, b, bOff, out, outOff, { m, k, n, transA, transB }) => {
  if (!heapGemm(a, aOff, b, bOff, out, outOff, m, k, n, transA, transB, undefined, {}))
    throw new Error('the wasm GEMM refused to run');
};
const jsGemm: Gemm = (a, aOff, b, bOff, out, outOff, { m, k, n, transA, transB }) =>
  gemmFloat32Js(a, aOff, b, bOff, out, outOff, m, k, n, transA, transB);
const dispatchGemm: Gemm = (a, aOff, b, bOff, out, outOff, { m, k, n, transA, transB }) =>
  gemmFloat32(a, aOff, b, bOff, out, outOff, m, k, n, transA, transB);

/** Runs one GEMM into an output with sentinels around the product and NaN inside (so every element must be written). */
function run(
  gemm: Gemm,
  product: Product,
  operands: Operands,
  outside: Float32Array = new Float32Array(operands.outOff + product.m * product.n + 4),
): Float32Array {
  const { m, n } = product;
  const out = outside;
  out.fill(SENTINEL);
  out.fill(Number.NaN, operands.outOff, operands.outOff + m * n);
  gemm(operands.a, operands.aOff, operands.b, operands.bOff, out, operands.outOff, product);
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
  for (let e = operands.outOff + m * n; e < out.length; e++)
    expect(out[e], `${label}: wrote past the product`).toBe(SENTINEL);
}

const TRANSPOSES: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

/** Edge tiles: sizes around the 4x8 tile, 1, primes; and block edges: k past KC=256, m past MC=128, n past NC=512. */
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 7, 9],
  [2, 3, 8],
  [3, 5, 17],
  [4, 4, 8],
  [4, 1, 1],
  [5, 13, 7],
  [7, 2, 3],
  [8, 8, 8],
  [9, 31, 15],
  [13, 17, 19],
  [16, 64, 24],
  [31, 29, 33],
  [37, 300, 11],
  [129, 41, 6],
  [6, 11, 515],
  [1, 300, 40],
  [2, 64, 33],
  [131, 517, 521],
];

/** The suite also runs with TSFLOW_WASM=0 / TSFLOW_WASM_GEMM=0 (the JS-only configuration): wasm-only checks are skipped then. */
const wasmSwitchedOn = process.env['TSFLOW_WASM_GEMM'] !== '0' && process.env['TSFLOW_WASM'] !== '0';

describe('GEMM', () => {
  afterEach(() => {
    setWasmKernelsEnabled(wasmSwitchedOn);
  });

  it('has the wasm path available on this Node (SIMD, shared memory) unless switched off, so the parity tests below exercise it', () => {
    expect(wasmGemmKernels() !== null).toBe(wasmSwitchedOn);
  });

  describe.each(TRANSPOSES)('transA=%s transB=%s', (transA, transB) => {
    it.each(SHAPES)(
      'm=%i k=%i n=%i: wasm (operands outside and inside the heap) and JS match a float64 reference',
      (m, k, n) => {
        const product = { m, k, n, transA, transB };
        const operands = makeOperands(product, m * 1000 + k * 10 + n);
        if (wasmSwitchedOn) {
          expectMatchesReference(run(wasmGemm, product, operands), product, operands, 'wasm');
          const heapOperands = { ...operands, a: inHeap(operands.a), b: inHeap(operands.b) };
          const heapOut = inHeap(new Float32Array(operands.outOff + m * n + 4));
          expectMatchesReference(run(wasmGemm, product, heapOperands, heapOut), product, operands, 'wasm in heap');
        }
        expectMatchesReference(run(jsGemm, product, operands), product, operands, 'js');
        expectMatchesReference(run(dispatchGemm, product, operands), product, operands, 'dispatch');
      },
    );
  });

  it.skipIf(!wasmSwitchedOn)(
    'accumulates well within the float32 bound on a long dot product (k=4099, several KC slices)',
    () => {
      const product = { m: 5, k: 4099, n: 9, transA: false, transB: true };
      const operands = makeOperands(product, 42);
      expectMatchesReference(run(wasmGemm, product, operands), product, operands, 'wasm');
    },
  );

  describe.each([true, false])('epilogue (wasm %s)', (useWasm) => {
    const product = { m: 37, k: 300, n: 21, transA: false, transB: false };
    const operands = makeOperands(product, 5);
    const bias = randomFloats(21, 77);

    function withEpilogue(epilogue: GemmEpilogue, start?: Float32Array): Float32Array {
      setWasmKernelsEnabled(useWasm && wasmSwitchedOn);
      const out = start ? start.slice() : new Float32Array(operands.outOff + 37 * 21);
      gemmFloat32(
        operands.a,
        operands.aOff,
        operands.b,
        operands.bOff,
        out,
        operands.outOff,
        37,
        300,
        21,
        false,
        false,
        undefined,
        epilogue,
      );
      return out;
    }

    it('bias and relu equal the plain product followed by the same epilogue pass', () => {
      const expected = withEpilogue({});
      applyEpilogue(expected, operands.outOff, 37, 21, bias, true);
      const fused = withEpilogue({ bias, relu: true });
      expect(Array.from(fused)).toEqual(Array.from(expected));
      expect(fused.some((v) => v === 0) && fused.some((v) => v > 0)).toBe(true);
    });

    it('accumulate adds the product onto what the output holds', () => {
      const start = randomFloats(operands.outOff + 37 * 21, 3);
      const product37 = withEpilogue({});
      const accumulated = withEpilogue({ accumulate: true }, start);
      for (let e = operands.outOff; e < accumulated.length; e++) {
        expect(accumulated[e]).toBeCloseTo(start[e]! + product37[e]!, 6);
      }
      for (let e = 0; e < operands.outOff; e++) expect(accumulated[e]).toBe(start[e]);
    });
  });

  it('rejects an accumulating product with a bias (the bias would be added once per call)', () => {
    expect(() =>
      gemmFloat32(
        new Float32Array(4),
        0,
        new Float32Array(4),
        0,
        new Float32Array(4),
        0,
        2,
        2,
        2,
        false,
        false,
        undefined,
        { accumulate: true, relu: true },
      ),
    ).toThrow(/an accumulating product takes no bias or relu/);
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

  it('switched off at run time (what TSFLOW_WASM=0 does at start-up), the wasm path refuses and gemmFloat32 still computes in JS', () => {
    setWasmKernelsEnabled(false);
    const product = { m: 20, k: 30, n: 40, transA: false, transB: true };
    const operands = makeOperands(product, 9);
    expect(
      heapGemm(operands.a, 0, operands.b, 0, new Float32Array(800), 0, 20, 30, 40, false, true, undefined, {}),
    ).toBe(false);
    expectMatchesReference(run(dispatchGemm, product, operands), product, operands, 'js via switch');
  });
});
