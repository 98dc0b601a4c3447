import type { ConvAttrs } from '../../graph/op_types.js';
import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { formatShape } from '../../ndarray/shape.js';
import { windowOutput, type Padding } from '../../ndarray/window_geometry.js';
import type { Operation } from '../../graph/operation.js';
import { defineKernel, type KernelContext, type OpKernelContext, type OpKernelSpec } from '../../kernel_registry.js';
import { withOpContext } from './kernel_errors.js';
import { gemmFloat32, type GemmEpilogue } from '../../cpu_backend/gemm.js';
import { blockRows, type ConvGeometry, im2colBlock } from './conv_patches.js';
import { heapResident } from '../../cpu_backend/heap_operands.js';
import { outputData, scratchFloat32 } from './kernel_memory.js';
import { winogradApplies, winogradConv } from './conv_winograd.js';

/** windowOutput for a kernel: its error (a window larger than the fed input) names the op. */
export function kernelWindow(
  op: Operation,
  input: number,
  k: number,
  stride: number,
  padding: Padding,
): { out: number; padBefore: number } {
  try {
    return windowOutput(input, k, stride, padding) as { out: number; padBefore: number };
  } catch (error) {
    return withOpContext(error, op);
  }
}

/**
 * Conv2D as im2col + the blocked GEMM: every output pixel's receptive field becomes one row of a
 * patch matrix (blocks of rows span images), and out[rows, o] = patches[rows, kh·kw·c] ·
 * filter[kh·kw·c, o], with the GEMM's epilogue (bias, relu: _FusedConv2D) applied as rows are
 * stored. NHWC makes both the patch rows (runs of c contiguous channels) and the output rows
 * contiguous. A 1x1 stride-1 convolution is the GEMM on the input itself.
 */
function conv2dKernel(inputs: readonly NDArray[], ctx: OpKernelContext<'Conv2D'>): NDArray {
  return conv2dWithEpilogue(inputs[0]!, inputs[1]!, ctx, {});
}

/** Conv2D's output, with `epilogue` applied by the GEMM (used by _FusedConv2D). @internal */
export function conv2dWithEpilogue(
  x: NDArray,
  filter: NDArray,
  ctx: KernelContext<ConvAttrs>,
  epilogue: GemmEpilogue,
): NDArray {
  if (x.rank !== 4 || filter.rank !== 4 || x.shape[3] !== filter.shape[2]) {
    throw new InvalidArgumentError(
      `Conv2D '${ctx.op.name}': input ${formatShape(x.shape)} (NHWC) and filter ${formatShape(filter.shape)} (HWIO) do not fit: input depth must equal the filter's in-channels`,
    );
  }
  const [kh, kw, , outC] = filter.shape as [number, number, number, number];
  const g = convGeometry(x.shape, kh, kw, outC, ctx);
  const rows = g.batch * g.outH * g.outW;
  const out = outputData(ctx, 'float32', rows * g.outC) as Float32Array;
  const result = new NDArray('float32', [g.batch, g.outH, g.outW, g.outC], out);
  if (out.length === 0) return result;
  const xd = heapResident(ctx, x.data as Float32Array);
  const fd = filter.data as Float32Array;
  const patchSize = g.kh * g.kw * g.inC;
  if (winogradApplies(ctx, g) && winogradConv(ctx, xd, fd, false, out, g, epilogue.bias, epilogue.relu === true))
    return result;
  if (g.kh === 1 && g.kw === 1 && g.sh === 1 && g.sw === 1) {
    gemmFloat32(xd, 0, fd, 0, out, 0, rows, g.inC, g.outC, false, false, ctx, epilogue);
    return result;
  }
  const block = blockRows(g);
  const patches = scratchFloat32(ctx, block * patchSize);
  for (let r0 = 0; r0 < rows; r0 += block) {
    const r1 = Math.min(rows, r0 + block);
    im2colBlock(ctx, xd, g, r0, r1, patches);
    gemmFloat32(patches, 0, fd, 0, out, r0 * g.outC, r1 - r0, patchSize, g.outC, false, false, ctx, epilogue);
  }
  return result;
}

/** The window geometry of a kh x kw window over `xShape` [N,H,W,C] (outC output channels) under the op's strides and padding. */
export function convGeometry(
  xShape: readonly number[],
  kh: number,
  kw: number,
  outC: number,
  ctx: KernelContext<ConvAttrs>,
): ConvGeometry {
  const [batch, inH, inW, inC] = xShape as [number, number, number, number];
  // Shared by Conv2D, _FusedConv2D, the conv gradients and maxPool: all carry ConvAttrs.
  const { strides, padding } = ctx.attrs;
  const sh = strides[1]!;
  const sw = strides[2]!;
  const rows = kernelWindow(ctx.op, inH, kh, sh, padding);
  const cols = kernelWindow(ctx.op, inW, kw, sw, padding);
  return {
    batch,
    inH,
    inW,
    inC,
    outH: rows.out,
    outW: cols.out,
    outC,
    kh,
    kw,
    sh,
    sw,
    padTop: rows.padBefore,
    padLeft: cols.padBefore,
  };
}

export const conv2dCpuKernels: OpKernelSpec[] = [defineKernel('Conv2D', 'cpu', conv2dKernel)];
