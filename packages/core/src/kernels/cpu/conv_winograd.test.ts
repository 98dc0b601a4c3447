import { afterAll, describe, expect, it } from 'vitest';
import { stopThreads } from '../../cpu_backend/parallel.js';
import { setWasmKernelsEnabled, wasmKernels } from '../../cpu_backend/wasm_kernels.js';
import {
  Graph,
  Session,
  constant,
  conv2d,
  gradients,
  mul,
  ndarray,
  reduceSum,
  type NDArray,
  type Tensor,
} from '../../index.js';
import type { KernelContext } from '../../kernel_registry.js';
import { heapFloats, heapMemory } from '../../test_support/heap_memory.js';
import type { ConvGeometry } from '../../ndarray/window_geometry.js';
import { backpropInputGeometry, winogradApplies, winogradConv } from './conv_winograd.js';
import { winogradFilterGrad } from './conv_winograd_grad.js';

/** Heap-backed run memory, as a Session's arena hands it out. */
const memory = heapMemory;
const filled = heapFloats;

function geometry(batch: number, inH: number, inW: number, inC: number, outC: number, pad: 0 | 1): ConvGeometry {
  return {
    batch,
    inH,
    inW,
    inC,
    outH: inH + 2 * pad - 2,
    outW: inW + 2 * pad - 2,
    outC,
    kh: 3,
    kw: 3,
    sh: 1,
    sw: 1,
    padTop: pad,
    padLeft: pad,
  };
}

/** The filter tap (ky, kx, c, o) of the convolution: HWIO, or flipped as Conv2DBackpropInput's. */
function tap(filter: Float32Array, g: ConvGeometry, flipped: boolean, ky: number, kx: number, c: number, o: number) {
  return flipped
    ? filter[((2 - ky) * 3 + (2 - kx)) * g.inC * g.outC + o * g.inC + c]!
    : filter[((ky * 3 + kx) * g.inC + c) * g.outC + o]!;
}

/** Direct convolution in float64: out[n, oy, ox, o] and the filter gradient for dy. */
function reference(x: Float32Array, filter: Float32Array, dy: Float32Array, g: ConvGeometry, flipped: boolean) {
  const out = new Float64Array(g.batch * g.outH * g.outW * g.outC);
  const dFilter = new Float64Array(9 * g.inC * g.outC);
  for (let n = 0; n < g.batch; n++)
    for (let oy = 0; oy < g.outH; oy++)
      for (let ox = 0; ox < g.outW; ox++)
        for (let ky = 0; ky < 3; ky++)
          for (let kx = 0; kx < 3; kx++) {
            const iy = oy - g.padTop + ky;
            const ix = ox - g.padLeft + kx;
            if (iy < 0 || iy >= g.inH || ix < 0 || ix >= g.inW) continue;
            for (let c = 0; c < g.inC; c++) {
              const xv = x[((n * g.inH + iy) * g.inW + ix) * g.inC + c]!;
              for (let o = 0; o < g.outC; o++) {
                const at = ((n * g.outH + oy) * g.outW + ox) * g.outC + o;
                out[at]! += xv * tap(filter, g, flipped, ky, kx, c, o);
                dFilter[((ky * 3 + kx) * g.inC + c) * g.outC + o]! += xv * dy[at]!;
              }
            }
          }
  return { out, dFilter };
}

function expectClose(actual: Float32Array, expected: Float64Array, what: string) {
  const scale = Math.max(1, ...Array.from(expected, Math.abs));
  actual.forEach((v, i) => {
    expect(Math.abs(v - expected[i]!), `${what} ${i}`).toBeLessThanOrEqual(2e-6 * scale);
  });
}

const CASES: [string, ConvGeometry][] = [
  ['SAME, odd height and width (partial edge tiles)', geometry(2, 7, 5, 16, 20, 1)],
  ['VALID', geometry(3, 6, 6, 32, 16, 0)],
  ['a 1x1 image (every tap but the centre is padding)', geometry(2, 1, 1, 16, 16, 1)],
  ['more tiles than one block, split over threads', geometry(5, 18, 17, 16, 24, 1)],
];

describe.skipIf(wasmKernels() === null)('Winograd F(2x2, 3x3) convolutions', () => {
  afterAll(() => stopThreads());

  describe.each(CASES)('%s', (_label, g) => {
    it.each([
      [1, false],
      [2, false],
      [1, true],
      [2, true],
    ])('winogradConv on %i thread(s), flipped filter %s, equals the direct convolution', (threads, flipped) => {
      const ctx = { threads, memory } as KernelContext;
      const x = filled(g.batch * g.inH * g.inW * g.inC, 1);
      const filter = filled(9 * g.inC * g.outC, 2);
      const out = filled(g.batch * g.outH * g.outW * g.outC, 3);
      expect(winogradConv(ctx, x, filter, flipped, out, g, undefined, false)).toBe(true);
      expectClose(out, reference(x, filter, out, g, flipped).out, 'output');
    });

    it('adds the bias and applies relu in the output transform (_FusedConv2D)', () => {
      const ctx = { threads: 1, memory } as KernelContext;
      const x = filled(g.batch * g.inH * g.inW * g.inC, 4);
      const filter = filled(9 * g.inC * g.outC, 5);
      const bias = Float32Array.from({ length: g.outC }, (_, o) => (o % 3) - 1);
      const out = filled(g.batch * g.outH * g.outW * g.outC, 6);
      expect(winogradConv(ctx, x, filter, false, out, g, bias, true)).toBe(true);
      const expected = reference(x, filter, out, g, false).out.map((v, i) => Math.max(0, v + bias[i % g.outC]!));
      expectClose(out, expected, 'output');
      expect(out.some((v) => v === 0)).toBe(true);
    });

    it('winogradFilterGrad equals the direct filter gradient, the same on 1 and 2 threads', () => {
      const x = filled(g.batch * g.inH * g.inW * g.inC, 7);
      const dy = filled(g.batch * g.outH * g.outW * g.outC, 8);
      const results = [1, 2].map((threads) => {
        const dFilter = filled(9 * g.inC * g.outC, 9);
        expect(winogradFilterGrad({ threads, memory } as KernelContext, x, dy, dFilter, g)).toBe(true);
        return dFilter;
      });
      expectClose(results[0]!, reference(x, filled(9 * g.inC * g.outC, 2), dy, g, false).dFilter, 'dFilter');
      expect(Array.from(results[1]!)).toEqual(Array.from(results[0]!));
    });
  });

  it('gives the same bits on 1 and 2 threads', () => {
    const g = geometry(5, 18, 17, 16, 24, 1);
    const x = filled(g.batch * g.inH * g.inW * g.inC, 10);
    const filter = filled(9 * g.inC * g.outC, 11);
    const [one, two] = [1, 2].map((threads) => {
      const out = filled(g.batch * g.outH * g.outW * g.outC, 12);
      winogradConv({ threads, memory } as KernelContext, x, filter, false, out, g, undefined, false);
      return Array.from(out);
    });
    expect(two).toEqual(one);
  });

  it('applies to 3x3 stride-1 convolutions with channels in multiples of 4, at least 16, inside a Session', () => {
    const ctx = { threads: 1, memory } as KernelContext;
    expect(winogradApplies(ctx, geometry(1, 8, 8, 16, 32, 1))).toBe(true);
    expect(winogradApplies(ctx, { ...geometry(1, 8, 8, 16, 32, 1), sh: 2, sw: 2 })).toBe(false);
    expect(winogradApplies(ctx, { ...geometry(1, 8, 8, 16, 32, 1), kh: 5, kw: 5 })).toBe(false);
    expect(winogradApplies(ctx, geometry(1, 8, 8, 18, 32, 1))).toBe(false);
    expect(winogradApplies(ctx, geometry(1, 8, 8, 1, 32, 1))).toBe(false);
    expect(winogradApplies({ threads: 1 } as KernelContext, geometry(1, 8, 8, 16, 32, 1))).toBe(false);
  });

  it("refuses a strided convolution's input gradient (it is no stride-1 convolution of dy)", () => {
    const ctx = { threads: 1, memory } as KernelContext;
    const strided = { ...geometry(2, 9, 9, 16, 16, 1), sh: 2, sw: 2, outH: 5, outW: 5 };
    expect(winogradApplies(ctx, backpropInputGeometry(strided))).toBe(false);
    expect(winogradApplies(ctx, backpropInputGeometry(geometry(2, 9, 9, 16, 16, 1)))).toBe(true);
  });

  it("maps Conv2DBackpropInput to a convolution of dy padded by k-1-pad, giving x's shape", () => {
    const g = geometry(2, 7, 5, 16, 20, 0);
    const asConv = backpropInputGeometry(g);
    expect(asConv).toMatchObject({ inH: 5, inW: 3, inC: 20, outH: 7, outW: 5, outC: 16, padTop: 2, padLeft: 2 });
  });
});

describe.skipIf(wasmKernels() === null)('convolutions of Winograd-size channels in a Session', () => {
  afterAll(() => {
    setWasmKernelsEnabled(true);
    stopThreads();
  });

  it.each([
    [[2, 9, 9, 16], [3, 3, 16, 16], 1, 'SAME'],
    [[2, 9, 8, 16], [3, 3, 16, 20], 1, 'VALID'],
    [[2, 9, 9, 16], [3, 3, 16, 16], 2, 'SAME'],
    [[2, 10, 9, 16], [3, 3, 16, 20], 2, 'VALID'],
  ])(
    'x %j filter %j stride %i %s: output and both gradients equal the JS kernels (im2col) to float rounding',
    async (xShape, fShape, stride, padding) => {
      const run = async (wasm: boolean) => {
        setWasmKernelsEnabled(wasm);
        const g = new Graph();
        const fetches = g.asDefault(() => {
          const x = constant(
            ndarray(heapFloats(sizeOf(xShape as number[]), 21).slice(), { shape: xShape as number[] }),
          );
          const f = constant(
            ndarray(heapFloats(sizeOf(fShape as number[]), 22).slice(), { shape: fShape as number[] }),
          );
          const y = conv2d(x, f, [1, stride as number, stride as number, 1], padding as 'SAME' | 'VALID');
          const weights = constant(
            ndarray(heapFloats(sizeOf(y.shape as number[]), 23).slice(), { shape: y.shape as number[] }),
          );
          return [y, ...(gradients(reduceSum(mul(y, weights)), [x, f]) as Tensor[])];
        });
        using session = new Session(g, { threads: 2 });
        return (await session.run(fetches)) as NDArray[];
      };
      const [withWasm, js] = [await run(true), await run(false)];
      withWasm.forEach((value, i) => {
        const other = js[i]!.data;
        const scale = Math.max(1, ...Array.from(other, Math.abs));
        value.data.forEach((v, e) => {
          expect(Math.abs(v - other[e]!), `fetch ${i} element ${e}`).toBeLessThanOrEqual(1e-5 * scale);
        });
      });
    },
  );
});

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
