import { outputData } from './kernel_memory.js';
import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { computeStrides, formatShape } from '../../ndarray/shape.js';
import type { KernelContext, OpKernelSpec } from '../../kernel_registry.js';
import { stridedCopy } from './strided_copy.js';

function broadcastToKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const x = inputs[0]!;
  const target = Array.from(inputs[1]!.data);
  const offset = target.length - x.rank;
  const inStrides = computeStrides(x.shape);
  const strides = new Array<number>(target.length).fill(0);
  let ok = offset >= 0 && target.every((d) => d >= 0);
  for (let i = 0; ok && i < x.rank; i++) {
    const d = x.shape[i]!;
    const t = target[offset + i]!;
    if (d === t) strides[offset + i] = inStrides[i]!;
    else if (d !== 1) ok = false;
  }
  if (!ok) {
    throw new InvalidArgumentError(
      `BroadcastTo '${ctx.op.name}': cannot broadcast a tensor of shape ${formatShape(x.shape)} to shape ${formatShape(target)}`,
    );
  }
  const out = outputData(
    ctx,
    x.dtype,
    target.reduce((p, d) => p * d, 1),
  );
  stridedCopy(x.data, 0, strides, target, out);
  return new NDArray(x.dtype, target, out);
}

export const broadcastToCpuKernels: OpKernelSpec[] = [
  { opType: 'BroadcastTo', device: 'cpu', kernel: broadcastToKernel },
];
