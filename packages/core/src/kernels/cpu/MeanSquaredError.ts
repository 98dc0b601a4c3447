import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { formatShape, shapesEqual } from '../../ndarray/shape.js';
import type { KernelContext, OpKernelSpec } from '../../kernel_registry.js';

/** One fused pass: Σ (p - l)² in float64, divided by the element count (0 for empty inputs, like TF). */
function meanSquaredErrorKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray {
  const labels = inputs[0]!;
  const predictions = inputs[1]!;
  if (!shapesEqual(labels.shape, predictions.shape)) {
    throw new InvalidArgumentError(
      `Shapes ${formatShape(predictions.shape)} and ${formatShape(labels.shape)} are incompatible: predictions and labels must have the same shape (op '${ctx.op.name}')`,
    );
  }
  const l = labels.data as Float32Array;
  const p = predictions.data as Float32Array;
  let sum = 0;
  for (let i = 0; i < l.length; i++) {
    const d = p[i]! - l[i]!;
    sum += d * d;
  }
  return new NDArray('float32', [], Float32Array.of(l.length === 0 ? 0 : sum / l.length));
}

export const meanSquaredErrorCpuKernels: OpKernelSpec[] = [
  { opType: 'MeanSquaredError', device: 'cpu', kernel: meanSquaredErrorKernel },
];
