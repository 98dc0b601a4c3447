import { afterAll, describe, expect, it } from 'vitest';
import { stopThreads } from '../../cpu_backend/parallel.js';
import { wasmGemmKernels } from '../../cpu_backend/wasm_kernels.js';
import type { KernelContext } from '../../kernel_registry.js';
import { heapFloats, heapMemory } from '../../test_support/heap_memory.js';
import type { ConvGeometry } from '../../ndarray/window_geometry.js';
import { CHUNK_ROWS, chunkedFilterGrad, chunkedFilterGradApplies } from './conv_filter_grad_chunks.js';

const memory = heapMemory;
const filled = heapFloats;

/** 3x3 SAME (stride 1) or 2x2 stride 2 VALID over [batch, h, w, inC]. */
function geometry(batch: number, h: number, w: number, inC: number, outC: number, strided: boolean): ConvGeometry {
  const k = strided ? 2 : 3;
  const s = strided ? 2 : 1;
  return {
    batch,
    inH: h,
    inW: w,
    inC,
    outH: strided ? Math.floor(h / 2) : h,
    outW: strided ? Math.floor(w / 2) : w,
    outC,
    kh: k,
    kw: k,
    sh: s,
    sw: s,
    padTop: strided ? 0 : 1,
    padLeft: strided ? 0 : 1,
  };
}

/** The filter gradient by direct summation in float64. */
function reference(x: Float32Array, dy: Float32Array, g: ConvGeometry): Float64Array {
  const df = new Float64Array(g.kh * g.kw * g.inC * g.outC);
  for (let n = 0; n < g.batch; n++)
    for (let oy = 0; oy < g.outH; oy++)
      for (let ox = 0; ox < g.outW; ox++)
        for (let ky = 0; ky < g.kh; ky++)
          for (let kx = 0; kx < g.kw; kx++) {
            const iy = oy * g.sh - g.padTop + ky;
            const ix = ox * g.sw - g.padLeft + kx;
            if (iy < 0 || iy >= g.inH || ix < 0 || ix >= g.inW) continue;
            for (let c = 0; c < g.inC; c++) {
              const xv = x[((n * g.inH + iy) * g.inW + ix) * g.inC + c]!;
              for (let o = 0; o < g.outC; o++)
                df[((ky * g.kw + kx) * g.inC + c) * g.outC + o]! +=
                  xv * dy[((n * g.outH + oy) * g.outW + ox) * g.outC + o]!;
            }
          }
  return df;
}

const CASES: [string, ConvGeometry][] = [
  ['3x3 SAME, 1 channel (a first layer), 3 chunks and a partial one', geometry(14, 28, 28, 1, 32, false)],
  ['2x2 stride 2, 3 channels', geometry(10, 60, 62, 3, 8, true)],
];

describe.skipIf(wasmGemmKernels() === null)('Conv2DBackpropFilter of short patches, in chunks', () => {
  afterAll(() => stopThreads());

  it.each(CASES)('%s: equals the direct sum, with the same bits on 1 and 2 threads', (_label, g) => {
    const ctx1 = { threads: 1, memory } as KernelContext;
    expect(chunkedFilterGradApplies(ctx1, g)).toBe(true);
    expect(g.batch * g.outH * g.outW).toBeGreaterThan(2 * CHUNK_ROWS);
    const x = filled(g.batch * g.inH * g.inW * g.inC, 1);
    const dy = filled(g.batch * g.outH * g.outW * g.outC, 2);
    const [one, two] = [1, 2].map((threads) => {
      const df = filled(g.kh * g.kw * g.inC * g.outC, 3);
      expect(chunkedFilterGrad({ threads, memory } as KernelContext, x, dy, df, g)).toBe(true);
      return df;
    });
    const expected = reference(x, dy, g);
    const scale = Math.max(...Array.from(expected, Math.abs));
    one!.forEach((v, i) => {
      expect(Math.abs(v - expected[i]!), `dfilter ${i}`).toBeLessThanOrEqual(1e-5 * scale);
    });
    expect(Array.from(two!)).toEqual(Array.from(one!));
  });

  it('leaves long patches, small inputs and runs outside a Session to the other paths', () => {
    const ctx = { threads: 2, memory } as KernelContext;
    expect(chunkedFilterGradApplies(ctx, geometry(9, 28, 28, 2, 32, false))).toBe(false);
    expect(chunkedFilterGradApplies(ctx, geometry(1, 28, 28, 1, 32, false))).toBe(false);
    expect(chunkedFilterGradApplies({ threads: 2 } as KernelContext, geometry(9, 28, 28, 1, 32, false))).toBe(false);
  });
});
