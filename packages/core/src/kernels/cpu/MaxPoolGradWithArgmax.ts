import { InvalidArgumentError } from '../../errors.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { formatShape, shapesEqual } from '../../ndarray/shape.js';
import type { KernelContext, KernelSpec } from '../kernel_registry.js';
import { zeroedOutput } from './kernel_memory.js';

/**
 * MaxPool's gradient from the forward pass's argmax (inputs [dy, argmax, x]): dx is zero except
 * where an argmax points, which gets the dy of every window that chose it. With the `reluMask`
 * attr the op also stands for the ReluGrad that follows it (x being the relu's output): an
 * element whose x is not positive gets 0. Only plans create it (session/remapper.ts).
 */
function maxPoolGradWithArgmaxKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const [dy, argmax, x] = inputs as [NDArray, NDArray, NDArray];
  if (!shapesEqual(dy.shape, argmax.shape)) {
    throw new InvalidArgumentError(`MaxPoolGrad '${ctx.op.name}': dy of shape ${formatShape(dy.shape)} does not match the forward argmax ${formatShape(argmax.shape)}`);
  }
  const result = zeroedOutput(ctx, 'float32', x.shape);
  const dx = result.data as Float32Array;
  const d = dy.data as Float32Array;
  const at = argmax.data as Int32Array;
  const xd = x.data as Float32Array;
  const size = dx.length;
  if (ctx.attrs['reluMask'] === true) {
    for (let i = 0; i < d.length; i++) {
      const a = at[i]!;
      if (a >= 0 && a < size && xd[a]! > 0) dx[a] = dx[a]! + d[i]!;
    }
  } else {
    for (let i = 0; i < d.length; i++) {
      const a = at[i]!;
      if (a >= 0 && a < size) dx[a] = dx[a]! + d[i]!;
    }
  }
  return result;
}

export const maxPoolGradWithArgmaxCpuKernels: KernelSpec[] = [
  { opType: 'MaxPoolGradWithArgmax', device: 'cpu', kernel: maxPoolGradWithArgmaxKernel },
];
