import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { formatShape } from '../../ndarray/shape.js';
import type { KernelContext, KernelSpec } from '../kernel_registry.js';
import { outputData } from './kernel_memory.js';

function biasAddKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const x = inputs[0]!;
  const bias = inputs[1]!;
  const channels = bias.size;
  if (x.rank === 0 || bias.rank !== 1 || x.shape[x.rank - 1] !== channels) {
    throw new InvalidArgumentError(
      `Must provide as many biases as the last dimension of the input tensor: ${formatShape(bias.shape)} vs. ${formatShape(x.shape)} (op '${ctx.op.name}')`,
    );
  }
  const data = x.data;
  const b = bias.data;
  const out = outputData(ctx, x.dtype, x.size);
  const isInt = x.dtype === 'int32';
  for (let base = 0; base < data.length; base += channels) {
    if (isInt) for (let c = 0; c < channels; c++) out[base + c] = (data[base + c]! + b[c]!) | 0;
    else for (let c = 0; c < channels; c++) out[base + c] = data[base + c]! + b[c]!;
  }
  return new NDArray(x.dtype, x.shape, out);
}

export const biasAddCpuKernels: KernelSpec[] = [{ opType: 'BiasAdd', device: 'cpu', kernel: biasAddKernel }];
