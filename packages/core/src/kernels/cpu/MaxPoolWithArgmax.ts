import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { formatShape } from '../../ndarray/shape.js';
import { defineKernel, type KernelContext, type OpKernelContext, type OpKernelSpec } from '../../kernel_registry.js';
import { convGeometry } from './Conv2D.js';
import { outputData } from './kernel_memory.js';
import { heapAddress, wasmKernels } from '../../cpu_backend/wasm_kernels.js';
import { runShares } from '../../cpu_backend/wasm_dispatch.js';
import type { ConvGeometry } from './conv_patches.js';

/**
 * MaxPool that also returns, per output element, the flat index into x of the element its
 * gradient goes to (TF's MaxPoolWithArgmax with the batch in the index; -1 for an empty window),
 * so MaxPoolGradWithArgmax scatters dy in one pass instead of searching every window again.
 * Only plans create it (session/remapper.ts), for a MaxPool whose MaxPoolGrad is in the same
 * plan. The value follows MaxPool (the largest element, padding never wins); the index follows
 * MaxPoolGrad (the first maximum in row-major window order), so results equal the unfused ops'.
 */
function maxPoolWithArgmaxKernel(inputs: readonly NDArray[], ctx: OpKernelContext<'MaxPoolWithArgmax'>): NDArray[] {
  const x = inputs[0]!;
  if (x.rank !== 4)
    throw new InvalidArgumentError(
      `MaxPool '${ctx.op.name}': input must be rank 4 (NHWC), got ${formatShape(x.shape)}`,
    );
  const ksize = ctx.attrs.ksize;
  const g = convGeometry(x.shape, ksize[1]!, ksize[2]!, x.shape[3]!, ctx);
  const size = g.batch * g.outH * g.outW * g.inC;
  const out = outputData(ctx, 'float32', size) as Float32Array;
  const argmax = outputData(ctx, 'int32', size) as Int32Array;
  const xd = x.data as Float32Array;
  const shape = [g.batch, g.outH, g.outW, g.inC];
  if (x.dtype === 'float32' && poolInWasm(ctx, xd, out, argmax, g))
    return [new NDArray('float32', shape, out), new NDArray('int32', shape, argmax)];
  const channels = g.inC;
  let dst = 0;
  for (let n = 0; n < g.batch; n++) {
    const image = n * g.inH * g.inW * channels;
    for (let oy = 0; oy < g.outH; oy++) {
      const y0 = Math.max(0, oy * g.sh - g.padTop);
      const y1 = Math.min(g.inH, oy * g.sh - g.padTop + g.kh);
      for (let ox = 0; ox < g.outW; ox++) {
        const x0 = Math.max(0, ox * g.sw - g.padLeft);
        const x1 = Math.min(g.inW, ox * g.sw - g.padLeft + g.kw);
        out.fill(-Infinity, dst, dst + channels);
        argmax.fill(-1, dst, dst + channels);
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const src = image + (iy * g.inW + ix) * channels;
            for (let c = 0; c < channels; c++) {
              const v = xd[src + c]!;
              if (v > out[dst + c]!) out[dst + c] = v;
              const best = argmax[dst + c]!;
              if (best < 0 || v > xd[best]!) argmax[dst + c] = src + c;
            }
          }
        }
        dst += channels;
      }
    }
  }
  return [new NDArray('float32', shape, out), new NDArray('int32', shape, argmax)];
}

/** The wasm kernel (images split over threads when large) when every array is in the heap; false otherwise. */
function poolInWasm(
  ctx: KernelContext,
  x: Float32Array,
  out: Float32Array,
  argmax: Int32Array,
  g: ConvGeometry,
): boolean {
  const wasm = wasmKernels();
  if (wasm === null) return false;
  const [xAt, outAt, argmaxAt] = [heapAddress(wasm, x), heapAddress(wasm, out), heapAddress(wasm, argmax)];
  if (xAt < 0 || outAt < 0 || argmaxAt < 0) return false;
  runShares(ctx, wasm, 'maxPoolArgmax', g.batch, x.length, (n0, n1) => [
    xAt,
    outAt,
    argmaxAt,
    n0,
    n1,
    g.inH,
    g.inW,
    g.inC,
    g.outH,
    g.outW,
    g.kh,
    g.kw,
    g.sh,
    g.sw,
    g.padTop,
    g.padLeft,
  ]);
  return true;
}

export const maxPoolWithArgmaxCpuKernels: OpKernelSpec[] = [
  defineKernel('MaxPoolWithArgmax', 'cpu', maxPoolWithArgmaxKernel),
];
