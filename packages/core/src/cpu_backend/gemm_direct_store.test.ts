import { afterEach, expect, it } from 'vitest';
import { gemmFloat32 } from './gemm.js';
import { setWasmKernelsEnabled, wasmGemmKernels } from './wasm_kernels.js';

/*
 * A product of one depth slice on whole 4x8 tiles with no epilogue (Winograd's 16 products) has
 * its tiles write the output directly instead of through the C block: accumulating must still
 * add exactly the product onto what the output holds, and touch nothing outside it.
 */

const wasmSwitchedOn = process.env['TSFLOW_WASM_GEMM'] !== '0' && process.env['TSFLOW_WASM'] !== '0';

function values(length: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
}

afterEach(() => setWasmKernelsEnabled(wasmSwitchedOn));

it('has the wasm GEMM here unless switched off, so the test below exercises its direct store', () => {
  expect(wasmGemmKernels() !== null).toBe(wasmSwitchedOn);
});

it.each([true, false])('accumulate on whole tiles in one depth slice adds the product exactly (wasm %s)', (useWasm) => {
  setWasmKernelsEnabled(useWasm && wasmSwitchedOn);
  const [m, k, n, outOff] = [16, 64, 24, 5];
  const a = values(m * k, 1);
  const b = values(k * n, 2);
  const start = values(outOff + m * n + 3, 3);
  const product = (out: Float32Array, accumulate: boolean) =>
    gemmFloat32(a, 0, b, 0, out, outOff, m, k, n, false, false, undefined, { accumulate });
  const plain = new Float32Array(start.length);
  product(plain, false);
  const accumulated = start.slice();
  product(accumulated, true);
  accumulated.forEach((v, e) => {
    const inside = e >= outOff && e < outOff + m * n;
    expect(v, `element ${e}`).toBe(inside ? Math.fround(start[e]! + plain[e]!) : start[e]);
  });
});
