import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { formatShape } from '../../ndarray/shape.js';
import { defineKernel, type OpKernelContext, type OpKernelSpec } from '../../kernel_registry.js';
import { kernelWindow } from './Conv2D.js';
import { outputData } from './kernel_memory.js';

/**
 * For each output pixel the window is clipped to the image once (padding never wins a max, as in
 * TF), then whole channel rows are max-ed in: NHWC keeps the innermost loop contiguous.
 */
function maxPoolKernel(inputs: readonly NDArray[], ctx: OpKernelContext<'MaxPool'>): NDArray {
  const x = inputs[0]!;
  if (x.rank !== 4)
    throw new InvalidArgumentError(
      `MaxPool '${ctx.op.name}': input must be rank 4 (NHWC), got ${formatShape(x.shape)}`,
    );
  const [batch, height, width, channels] = x.shape as [number, number, number, number];
  const ksize = ctx.attrs.ksize;
  const strides = ctx.attrs.strides;
  const padding = ctx.attrs.padding;
  const kh = ksize[1]!;
  const kw = ksize[2]!;
  const sh = strides[1]!;
  const sw = strides[2]!;
  const rows = kernelWindow(ctx.op, height, kh, sh, padding);
  const cols = kernelWindow(ctx.op, width, kw, sw, padding);
  const outH = rows.out;
  const outW = cols.out;
  const xd = x.data as Float32Array;
  const out = outputData(ctx, 'float32', batch * outH * outW * channels) as Float32Array;
  let dst = 0;
  for (let n = 0; n < batch; n++) {
    const image = n * height * width * channels;
    for (let oy = 0; oy < outH; oy++) {
      const y0 = Math.max(0, oy * sh - rows.padBefore);
      const y1 = Math.min(height, oy * sh - rows.padBefore + kh);
      for (let ox = 0; ox < outW; ox++) {
        const x0 = Math.max(0, ox * sw - cols.padBefore);
        const x1 = Math.min(width, ox * sw - cols.padBefore + kw);
        out.fill(-Infinity, dst, dst + channels);
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const src = image + (iy * width + ix) * channels;
            for (let c = 0; c < channels; c++) {
              const v = xd[src + c]!;
              if (v > out[dst + c]!) out[dst + c] = v;
            }
          }
        }
        dst += channels;
      }
    }
  }
  return new NDArray('float32', [batch, outH, outW, channels], out);
}

export const maxPoolCpuKernels: OpKernelSpec[] = [defineKernel('MaxPool', 'cpu', maxPoolKernel)];
