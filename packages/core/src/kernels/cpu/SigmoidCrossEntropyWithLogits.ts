import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { formatShape, shapesEqual } from '../../ndarray/shape.js';
import type { KernelContext, OpKernelSpec } from '../../kernel_registry.js';
import { outputData } from './kernel_memory.js';

/** TF's overflow-free form: max(x, 0) - x·z + log1p(exp(-|x|)). */
function sigmoidCrossEntropyKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const logits = inputs[0]!;
  const labels = inputs[1]!;
  if (!shapesEqual(logits.shape, labels.shape)) {
    throw new InvalidArgumentError(
      `logits and labels must have the same shape: logits ${formatShape(logits.shape)}, labels ${formatShape(labels.shape)} (op '${ctx.op.name}')`,
    );
  }
  const x = logits.data as Float32Array;
  const z = labels.data as Float32Array;
  const out = outputData(ctx, 'float32', x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    out[i] = (v > 0 ? v : 0) - v * z[i]! + Math.log1p(Math.exp(-Math.abs(v)));
  }
  return new NDArray('float32', logits.shape, out);
}

export const sigmoidCrossEntropyCpuKernels: OpKernelSpec[] = [
  { opType: 'SigmoidCrossEntropyWithLogits', device: 'cpu', kernel: sigmoidCrossEntropyKernel },
];
