import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { formatShape, shapesEqual } from '../../ndarray/shape.js';
import { defineKernel, type OpKernelContext, type OpKernelSpec } from '../../kernel_registry.js';
import { kernelWindow } from './Conv2D.js';
import { outputData } from './kernel_memory.js';

/**
 * The gradient of MaxPoolGrad for its dy: each output pixel takes `grad` at its window's first
 * maximum of x (row-major, the element MaxPoolGrad routes that window's dy to), so the pair
 * MaxPoolGrad / MaxPoolGradGrad are adjoint linear maps.
 */
function maxPoolGradGradKernel(inputs: readonly NDArray[], ctx: OpKernelContext<'MaxPoolGradGrad'>): NDArray {
  const [x, grad] = inputs as [NDArray, NDArray];
  const what = `MaxPoolGradGrad '${ctx.op.name}'`;
  if (x.rank !== 4) throw new InvalidArgumentError(`${what}: input must be rank 4 (NHWC), got ${formatShape(x.shape)}`);
  if (!shapesEqual(grad.shape, x.shape)) {
    throw new InvalidArgumentError(
      `${what}: grad of shape ${formatShape(grad.shape)} must have the input's shape ${formatShape(x.shape)}`,
    );
  }
  const [batch, height, width, channels] = x.shape as [number, number, number, number];
  const ksize = ctx.attrs.ksize;
  const strides = ctx.attrs.strides;
  const padding = ctx.attrs.padding;
  const [kh, kw, sh, sw] = [ksize[1]!, ksize[2]!, strides[1]!, strides[2]!];
  const rows = kernelWindow(ctx.op, height, kh, sh, padding);
  const cols = kernelWindow(ctx.op, width, kw, sw, padding);
  const xv = x.data;
  const g = grad.data;
  const out = outputData(ctx, 'float32', batch * rows.out * cols.out * channels) as Float32Array;
  let dst = 0;
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < rows.out; oy++) {
      const y0 = Math.max(oy * sh - rows.padBefore, 0);
      const y1 = Math.min(oy * sh - rows.padBefore + kh, height);
      for (let ox = 0; ox < cols.out; ox++) {
        const x0 = Math.max(ox * sw - cols.padBefore, 0);
        const x1 = Math.min(ox * sw - cols.padBefore + kw, width);
        for (let c = 0; c < channels; c++) {
          let best = -1;
          for (let iy = y0; iy < y1; iy++) {
            for (let ix = x0; ix < x1; ix++) {
              const at = ((b * height + iy) * width + ix) * channels + c;
              if (best < 0 || xv[at]! > xv[best]!) best = at;
            }
          }
          out[dst++] = best < 0 ? 0 : g[best]!;
        }
      }
    }
  }
  return new NDArray('float32', [batch, rows.out, cols.out, channels], out);
}

export const maxPoolGradGradCpuKernels: OpKernelSpec[] = [
  defineKernel('MaxPoolGradGrad', 'cpu', maxPoolGradGradKernel),
];
