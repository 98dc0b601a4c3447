import { defineGpuKernel, invalidInput, kernelArg, kernelKey, runGpuKernel } from '../../gpu_backend/gpu_kernel.js';
import { kernelFunction } from '../../gpu_backend/index_codegen.js';
import type { GpuKernelSource } from '../../gpu_backend/kernel_cache.js';
import type { Operation } from '../../graph/operation.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { shapesEqual } from '../../ndarray/shape.js';
import type { Padding } from '../../ndarray/window_geometry.js';
import { kernelWindow } from '../cpu/Conv2D.js';
import type { OpKernelContext, OpKernelSpec } from '../../kernel_registry.js';
import { attrsOf } from '../../graph/op_types.js';

/**
 * Conv2D, MaxPool and MaxPoolGradGrad on gpu.js, NHWC, one thread per output element looping
 * over its window. References: kernels/cpu/Conv2D.ts (im2col + gemm), MaxPool.ts and
 * MaxPoolGradGrad.ts; all use TF's SAME/VALID
 * geometry from ndarray/window_geometry.ts, and taps in the padding contribute nothing.
 */
interface Window {
  batch: number;
  height: number;
  width: number;
  channels: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  outH: number;
  outW: number;
  padTop: number;
  padLeft: number;
}

/** The window geometry; a VALID window larger than the fed input raises the cpu kernels' named error. */
function windowOf(
  op: Operation,
  x: NDArray,
  kh: number,
  kw: number,
  strides: readonly number[],
  padding: Padding,
): Window {
  const [batch, height, width, channels] = x.shape as [number, number, number, number];
  const sh = strides[1]!;
  const sw = strides[2]!;
  const rows = kernelWindow(op, height, kh, sh, padding);
  const cols = kernelWindow(op, width, kw, sw, padding);
  return {
    batch,
    height,
    width,
    channels,
    kh,
    kw,
    sh,
    sw,
    outH: rows.out,
    outW: cols.out,
    padTop: rows.padBefore,
    padLeft: cols.padBefore,
  };
}

/** Statements splitting thread index `i` over [batch, outH, outW, depth] into b, oy, ox, d. */
function outputCoordinates(w: Window, depth: number): string[] {
  return [
    'const i = this.thread.x;',
    `const d = i - Math.floor(i / ${depth}) * ${depth};`,
    `const pixel = Math.floor(i / ${depth});`,
    `const ox = pixel - Math.floor(pixel / ${w.outW}) * ${w.outW};`,
    `const row = Math.floor(pixel / ${w.outW});`,
    `const oy = row - Math.floor(row / ${w.outH}) * ${w.outH};`,
    `const b = Math.floor(row / ${w.outH});`,
  ];
}

/** Wraps `inner` in the loops over window taps that fall inside the image. */
function windowLoops(w: Window, inner: string[]): string[] {
  return [
    `for (let ky = 0; ky < ${w.kh}; ky++) {`,
    `  const iy = oy * ${w.sh} - ${w.padTop} + ky;`,
    `  if (iy >= 0 && iy < ${w.height}) {`,
    `    for (let kx = 0; kx < ${w.kw}; kx++) {`,
    `      const ix = ox * ${w.sw} - ${w.padLeft} + kx;`,
    `      if (ix >= 0 && ix < ${w.width}) {`,
    `        const src = ((b * ${w.height} + iy) * ${w.width} + ix) * ${w.channels};`,
    ...inner.map((line) => `        ${line}`),
    '      }',
    '    }',
    '  }',
    '}',
  ];
}

function conv2dSource(w: Window, outChannels: number): GpuKernelSource {
  const lines = [
    ...outputCoordinates(w, outChannels),
    'let sum = 0.0;',
    ...windowLoops(w, [
      `const tap = (ky * ${w.kw} + kx) * ${w.channels};`,
      `for (let c = 0; c < ${w.channels}; c++) {`,
      `  sum += x[src + c] * f[(tap + c) * ${outChannels} + d];`,
      '}',
    ]),
    'return sum;',
  ];
  return kernelFunction('x, f', lines, w.batch * w.outH * w.outW * outChannels);
}

function maxPoolSource(w: Window): GpuKernelSource {
  const lines = [
    ...outputCoordinates(w, w.channels),
    'let best = -1.0 / 0.0;',
    ...windowLoops(w, ['const v = x[src + d];', 'if (v > best) { best = v; }']),
    'return best;',
  ];
  return kernelFunction('x', lines, w.batch * w.outH * w.outW * w.channels);
}

/** MaxPoolGradGrad: `grad` at each window's first maximum of x (strict `>`: the first one wins, as on cpu). */
function maxPoolGradGradSource(w: Window): GpuKernelSource {
  const lines = [
    ...outputCoordinates(w, w.channels),
    'let best = 0.0;',
    'let picked = 0.0;',
    'let found = 0.0;',
    ...windowLoops(w, [
      'const v = x[src + d];',
      'if (found < 0.5 || v > best) { best = v; picked = g[src + d]; found = 1.0; }',
    ]),
    'return picked;',
  ];
  return kernelFunction('x, g', lines, w.batch * w.outH * w.outW * w.channels);
}

function conv2d(inputs: readonly NDArray[], ctx: OpKernelContext<'Conv2D'>): NDArray {
  const [x, filter] = inputs as [NDArray, NDArray];
  const [kh, kw, , outChannels] = filter.shape as [number, number, number, number];
  const w = windowOf(ctx.op, x, kh, kw, ctx.attrs.strides, ctx.attrs.padding);
  const shape = [w.batch, w.outH, w.outW, outChannels];
  const key = kernelKey('Conv2D', inputs, `${w.sh},${w.sw},${ctx.attrs.padding}`);
  return runGpuKernel(key, () => conv2dSource(w, outChannels), [kernelArg(x), kernelArg(filter)], 'float32', shape);
}

function maxPool(inputs: readonly NDArray[], ctx: OpKernelContext<'MaxPool'>): NDArray {
  const x = inputs[0]!;
  const ksize = ctx.attrs.ksize;
  const w = windowOf(ctx.op, x, ksize[1]!, ksize[2]!, ctx.attrs.strides, ctx.attrs.padding);
  const shape = [w.batch, w.outH, w.outW, w.channels];
  const key = kernelKey('MaxPool', inputs, `${ksize.join(',')}|${ctx.attrs.strides.join(',')}|${ctx.attrs.padding}`);
  return runGpuKernel(key, () => maxPoolSource(w), [kernelArg(x)], 'float32', shape);
}

function maxPoolGradGrad(inputs: readonly NDArray[], ctx: OpKernelContext<'MaxPoolGradGrad'>): NDArray {
  const [x, grad] = inputs as [NDArray, NDArray];
  const ksize = ctx.attrs.ksize;
  const w = windowOf(ctx.op, x, ksize[1]!, ksize[2]!, ctx.attrs.strides, ctx.attrs.padding);
  const key = kernelKey(
    'MaxPoolGradGrad',
    inputs,
    `${ksize.join(',')}|${ctx.attrs.strides.join(',')}|${ctx.attrs.padding}`,
  );
  return runGpuKernel(key, () => maxPoolGradGradSource(w), [kernelArg(x), kernelArg(grad)], 'float32', [
    w.batch,
    w.outH,
    w.outW,
    w.channels,
  ]);
}

function conv2dUnsupported(inputs: readonly NDArray[]): string | undefined {
  const [x, filter] = inputs as [NDArray, NDArray];
  if (x.rank !== 4 || filter.rank !== 4 || x.shape[3] !== filter.shape[2])
    return invalidInput('mismatched input and filter shapes are reported by the cpu kernel');
  return undefined;
}

function maxPoolUnsupported(inputs: readonly NDArray[], op: Operation): string | undefined {
  if (inputs[0]!.rank !== 4) return invalidInput('a non-NHWC input is reported by the cpu kernel');
  return attrsOf<'MaxPool' | 'MaxPoolGradGrad'>(op).ksize
    ? undefined
    : invalidInput('missing ksize is reported by the cpu kernel');
}

export const convGpuKernels: OpKernelSpec[] = [
  defineGpuKernel({ opType: 'Conv2D', integerPolicy: 'cpu', unsupported: conv2dUnsupported, run: conv2d }),
  defineGpuKernel({ opType: 'MaxPool', integerPolicy: 'cpu', unsupported: maxPoolUnsupported, run: maxPool }),
  defineGpuKernel({
    opType: 'MaxPoolGradGrad',
    integerPolicy: 'cpu',
    unsupported: (inputs, op) =>
      maxPoolUnsupported(inputs, op) ??
      (shapesEqual(inputs[0]!.shape, inputs[1]!.shape)
        ? undefined
        : invalidInput('a grad not shaped like x is reported by the cpu kernel')),
    run: maxPoolGradGrad,
  }),
];
