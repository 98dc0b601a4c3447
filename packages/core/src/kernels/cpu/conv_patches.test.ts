import { afterAll, describe, expect, it } from 'vitest';
import { tensorHeap } from '../../cpu_backend/tensor_heap.js';
import { stopThreads } from '../../cpu_backend/parallel.js';
import { wasmKernels } from '../../cpu_backend/wasm_kernels.js';
import type { KernelContext } from '../../kernel_registry.js';
import { col2imBlock, col2imRows, type ConvGeometry, im2colBlock, im2colRows } from './conv_patches.js';

function inHeap(length: number, seed: number): Float32Array {
  const block = tensorHeap()!.alloc(length * 4)!;
  const data = new Float32Array(block.buffer, block.offset, length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 32 - 0.5;
  }
  return data;
}

function geometry(
  batch: number,
  inH: number,
  inW: number,
  inC: number,
  k: number,
  stride: number,
  pad: number,
): ConvGeometry {
  const out = (size: number) => Math.floor((size + 2 * pad - k) / stride) + 1;
  return {
    batch,
    inH,
    inW,
    inC,
    outH: out(inH),
    outW: out(inW),
    outC: 1,
    kh: k,
    kw: k,
    sh: stride,
    sw: stride,
    padTop: pad,
    padLeft: pad,
  };
}

const GEOMETRIES: [string, ConvGeometry][] = [
  ['3x3 SAME, 1 channel', geometry(3, 7, 6, 1, 3, 1, 1)],
  ['3x3 SAME, 32 channels (vectors; large enough to split over threads)', geometry(4, 9, 9, 32, 3, 1, 1)],
  ['2x2 stride 2, 5 channels (vector + tail)', geometry(4, 8, 7, 5, 2, 2, 0)],
  ['5x5 pad 2 on a 3-wide image (windows overhang both sides), 3 channels', geometry(2, 4, 3, 3, 5, 1, 2)],
  ['3x3 stride 2 pad 1, 1 channel', geometry(2, 7, 8, 1, 3, 2, 1)],
];

describe.skipIf(wasmKernels() === null)('wasm im2col / col2im', () => {
  afterAll(() => stopThreads());

  describe.each(GEOMETRIES)('%s', (_label, g) => {
    const rows = g.batch * g.outH * g.outW;
    const patchSize = g.kh * g.kw * g.inC;
    const pixels = g.outH * g.outW;

    it.each([1, 2])('equal the JS loops for a block of rows spanning images (%i threads)', (threads) => {
      const ctx = { threads } as KernelContext;
      const x = inHeap(g.batch * g.inH * g.inW * g.inC, 1);
      const [r0, r1] = [pixels - 3, rows];
      const wasmPatches = inHeap((r1 - r0) * patchSize, 2);
      const jsPatches = new Float32Array((r1 - r0) * patchSize);
      im2colBlock(ctx, x, g, r0, r1, wasmPatches);
      im2colRows(x, g, r0, r1, jsPatches);
      expect(Array.from(wasmPatches)).toEqual(Array.from(jsPatches));

      const wasmDx = inHeap(x.length, 3);
      const jsDx = Float32Array.from(wasmDx);
      col2imBlock(ctx, wasmPatches, wasmDx, g, r0, r1);
      col2imRows(jsPatches, jsDx, g, r0, r1);
      expect(Array.from(wasmDx)).toEqual(Array.from(jsDx));
    });
  });
});
