import { defineGpuKernel, invalidInput, kernelArg, kernelKey, runGpuKernel } from '../../gpu_backend/gpu_kernel.js';
import { kernelFunction } from '../../gpu_backend/index_codegen.js';
import type { Operation } from '../../graph/operation.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { shapesEqual } from '../../ndarray/shape.js';
import { type ConvGeometry, windowOutput } from '../../ndarray/window_geometry.js';
import type { KernelContext, OpKernelContext, OpKernelSpec } from '../../kernel_registry.js';
import { attrsOf } from '../../graph/op_types.js';

/** The backward window ops: each carries its forward op's strides and padding. */
type WindowGradOp = 'Conv2DBackpropInput' | 'Conv2DBackpropFilter' | 'MaxPoolGrad';

/**
 * Backward kernels of conv2d and maxPool (reference: kernels/cpu/conv_grad_kernels.ts), rewritten
 * gather-style so that each thread owns one output element: dx / df elements sum their
 * contributions themselves (Kahan-compensated, as the cpu kernels sum in float64).
 */

type WindowGeometry = { out: number; padBefore: number };

/** The forward op's windows over x (TF geometry, as the cpu kernels); undefined for a window larger than x. */
function forwardWindows(
  x: NDArray,
  kh: number,
  kw: number,
  op: Operation,
): { rows: WindowGeometry; cols: WindowGeometry } | undefined {
  const { strides, padding } = attrsOf<WindowGradOp>(op);
  try {
    return {
      rows: windowOutput(x.shape[1]!, kh, strides[1]!, padding) as WindowGeometry,
      cols: windowOutput(x.shape[2]!, kw, strides[2]!, padding) as WindowGeometry,
    };
  } catch {
    return undefined;
  }
}

/** Called once `unsupported` has checked dy against the forward windows. */
function geometry(x: NDArray, dy: NDArray, kh: number, kw: number, op: Operation): ConvGeometry {
  const { strides } = attrsOf<WindowGradOp>(op);
  const [batch, inH, inW, inC] = x.shape as [number, number, number, number];
  const [, outH, outW, outC] = dy.shape as [number, number, number, number];
  const { rows, cols } = forwardWindows(x, kh, kw, op)!;
  return {
    batch,
    inH,
    inW,
    inC,
    outH,
    outW,
    outC,
    kh,
    kw,
    sh: strides[1]!,
    sw: strides[2]!,
    padTop: rows.padBefore,
    padLeft: cols.padBefore,
  };
}

const KAHAN_ADD = ['  const next = acc + (term - comp);', '  comp = (next - acc) - (term - comp);', '  acc = next;'];

/** Statements splitting `i` over [batch, inH, inW, inC] into b, ih, iw, ci. */
function inputCoordinates(g: ConvGeometry): string[] {
  return [
    'const i = this.thread.x;',
    `const ci = i - Math.floor(i / ${g.inC}) * ${g.inC};`,
    `const pixel = Math.floor(i / ${g.inC});`,
    `const iw = pixel - Math.floor(pixel / ${g.inW}) * ${g.inW};`,
    `const rowIndex = Math.floor(pixel / ${g.inW});`,
    `const ih = rowIndex - Math.floor(rowIndex / ${g.inH}) * ${g.inH};`,
    `const b = Math.floor(rowIndex / ${g.inH});`,
  ];
}

/** Loops over the output positions (oh, ow) whose window covers input (ih, iw) at tap (ky, kx). */
function coveringWindows(g: ConvGeometry, body: readonly string[]): string[] {
  return [
    `for (let ky = 0; ky < ${g.kh}; ky++) {`,
    `  const th = ih + ${g.padTop} - ky;`,
    `  const oh = Math.floor(th / ${g.sh});`,
    `  if (th >= 0 && oh * ${g.sh} === th && oh < ${g.outH}) {`,
    `    for (let kx = 0; kx < ${g.kw}; kx++) {`,
    `      const tw = iw + ${g.padLeft} - kx;`,
    `      const ow = Math.floor(tw / ${g.sw});`,
    `      if (tw >= 0 && ow * ${g.sw} === tw && ow < ${g.outW}) {`,
    ...body.map((line) => `        ${line}`),
    '      }',
    '    }',
    '  }',
    '}',
  ];
}

function backpropInput(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const [x, filter, dy] = inputs as [NDArray, NDArray, NDArray];
  const [kh, kw] = filter.shape as [number, number];
  const g = geometry(x, dy, kh, kw, ctx.op);
  const lines = (): string[] => [
    ...inputCoordinates(g),
    'let acc = 0.0;',
    'let comp = 0.0;',
    ...coveringWindows(g, [
      `const dyBase = ((b * ${g.outH} + oh) * ${g.outW} + ow) * ${g.outC};`,
      `const fBase = ((ky * ${g.kw} + kx) * ${g.inC} + ci) * ${g.outC};`,
      `for (let co = 0; co < ${g.outC}; co++) {`,
      '  const term = dy[dyBase + co] * f[fBase + co];',
      ...KAHAN_ADD,
      '}',
    ]),
    'return acc;',
  ];
  const key = kernelKey('Conv2DBackpropInput', inputs, `${g.sh},${g.sw},${g.padTop},${g.padLeft}`);
  return runGpuKernel(
    key,
    () => kernelFunction('f, dy', lines(), x.size),
    [kernelArg(filter), kernelArg(dy)],
    'float32',
    x.shape,
  );
}

function backpropFilter(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const [x, filter, dy] = inputs as [NDArray, NDArray, NDArray];
  const [kh, kw, , outC] = filter.shape as [number, number, number, number];
  const g = geometry(x, dy, kh, kw, ctx.op);
  const lines = (): string[] => [
    'const i = this.thread.x;',
    `const co = i - Math.floor(i / ${outC}) * ${outC};`,
    `const tapChannel = Math.floor(i / ${outC});`,
    `const ci = tapChannel - Math.floor(tapChannel / ${g.inC}) * ${g.inC};`,
    `const tap = Math.floor(tapChannel / ${g.inC});`,
    `const ky = Math.floor(tap / ${g.kw});`,
    `const kx = tap - ky * ${g.kw};`,
    'let acc = 0.0;',
    'let comp = 0.0;',
    `for (let b = 0; b < ${g.batch}; b++) {`,
    `  for (let oh = 0; oh < ${g.outH}; oh++) {`,
    `    const ih = oh * ${g.sh} - ${g.padTop} + ky;`,
    `    if (ih >= 0 && ih < ${g.inH}) {`,
    `      for (let ow = 0; ow < ${g.outW}; ow++) {`,
    `        const iw = ow * ${g.sw} - ${g.padLeft} + kx;`,
    `        if (iw >= 0 && iw < ${g.inW}) {`,
    `          const term = x[((b * ${g.inH} + ih) * ${g.inW} + iw) * ${g.inC} + ci] * dy[((b * ${g.outH} + oh) * ${g.outW} + ow) * ${outC} + co];`,
    ...KAHAN_ADD.map((line) => `        ${line}`),
    '        }',
    '      }',
    '    }',
    '  }',
    '}',
    'return acc;',
  ];
  const key = kernelKey('Conv2DBackpropFilter', inputs, `${g.sh},${g.sw},${g.padTop},${g.padLeft}`);
  return runGpuKernel(
    key,
    () => kernelFunction('x, dy', lines(), filter.size),
    [kernelArg(x), kernelArg(dy)],
    'float32',
    filter.shape,
  );
}

/** Each input element collects dy from every window whose first maximum (row-major) it is. */
function maxPoolGrad(inputs: readonly NDArray[], ctx: OpKernelContext<'MaxPoolGrad'>): NDArray {
  const [x, dy] = inputs as [NDArray, NDArray];
  const ksize = ctx.attrs.ksize;
  const g = geometry(x, dy, ksize[1]!, ksize[2]!, ctx.op);
  const c = g.inC;
  const lines = (): string[] => [
    ...inputCoordinates(g),
    'let sum = 0.0;',
    ...coveringWindows(g, [
      `const h0 = Math.max(oh * ${g.sh} - ${g.padTop}, 0);`,
      `const h1 = Math.min(oh * ${g.sh} - ${g.padTop} + ${g.kh}, ${g.inH});`,
      `const w0 = Math.max(ow * ${g.sw} - ${g.padLeft}, 0);`,
      `const w1 = Math.min(ow * ${g.sw} - ${g.padLeft} + ${g.kw}, ${g.inW});`,
      'let best = -1.0;',
      'let bestValue = 0.0;',
      `for (let wy = 0; wy < ${g.kh}; wy++) {`,
      `  for (let wx = 0; wx < ${g.kw}; wx++) {`,
      '    const yy = h0 + wy;',
      '    const xx = w0 + wx;',
      '    if (yy < h1 && xx < w1) {',
      `      const at = ((b * ${g.inH} + yy) * ${g.inW} + xx) * ${c} + ci;`,
      '      if (best < 0.0 || x[at] > bestValue) {',
      '        best = at;',
      '        bestValue = x[at];',
      '      }',
      '    }',
      '  }',
      '}',
      `if (best === i) { sum += dy[((b * ${g.outH} + oh) * ${g.outW} + ow) * ${c} + ci]; }`,
    ]),
    'return sum;',
  ];
  const key = kernelKey('MaxPoolGrad', inputs, `${ksize.join(',')}|${g.sh},${g.sw},${g.padTop},${g.padLeft}`);
  return runGpuKernel(
    key,
    () => kernelFunction('x, dy', lines(), x.size),
    [kernelArg(x), kernelArg(dy)],
    'float32',
    x.shape,
  );
}

/** A dy that does not match the forward windows (or a window larger than x) raises its named error in the cpu kernels. */
function unsupported(
  x: NDArray,
  dy: NDArray,
  kh: number,
  kw: number,
  outC: number | undefined,
  op: Operation,
): string | undefined {
  const windows = x.rank === 4 && dy.rank === 4 ? forwardWindows(x, kh, kw, op) : undefined;
  if (!windows || !shapesEqual(dy.shape, [x.shape[0]!, windows.rows.out, windows.cols.out, outC ?? -1])) {
    return invalidInput('a dy that does not match the forward windows is reported by the cpu kernel');
  }
  return x.size === 0 || dy.size === 0 ? 'empty inputs are left to the cpu kernel' : undefined;
}

function poolWindow(op: Operation): [number, number] {
  const ksize = attrsOf<'MaxPoolGrad'>(op).ksize;
  return [ksize[1]!, ksize[2]!];
}

export const convGradGpuKernels: OpKernelSpec[] = [
  defineGpuKernel({
    opType: 'Conv2DBackpropInput',
    integerPolicy: 'cpu',
    unsupported: ([x, f, dy], op) => unsupported(x!, dy!, f!.shape[0]!, f!.shape[1]!, f!.shape[3], op),
    run: backpropInput,
  }),
  defineGpuKernel({
    opType: 'Conv2DBackpropFilter',
    integerPolicy: 'cpu',
    unsupported: ([x, f, dy], op) => unsupported(x!, dy!, f!.shape[0]!, f!.shape[1]!, f!.shape[3], op),
    run: backpropFilter,
  }),
  defineGpuKernel({
    opType: 'MaxPoolGrad',
    integerPolicy: 'cpu',
    unsupported: ([x, dy], op) => unsupported(x!, dy!, ...poolWindow(op), x!.shape[3], op),
    run: maxPoolGrad,
  }),
];
