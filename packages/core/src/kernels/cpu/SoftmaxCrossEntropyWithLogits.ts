import { InvalidArgumentError } from '../../errors.js';
import { NDArray } from '../../ndarray/ndarray.js';
import { formatShape, shapesEqual } from '../../ndarray/shape.js';
import { softmaxRow } from './Softmax.js';
import type { KernelContext, OpKernelSpec } from '../../kernel_registry.js';
import { outputData } from './kernel_memory.js';

/**
 * Both kernels work row by row over [rows, classes]: one pass for the max, one for
 * sum(exp(x - max)) in float64, then loss = logSumExp - Σ labels·x and the gradient
 * softmax - labels (TF's second output), so neither ever overflows.
 */
function denseKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray[] {
  const logits = inputs[0]!;
  const labels = inputs[1]!;
  if (logits.rank === 0 || !shapesEqual(logits.shape, labels.shape)) {
    throw new InvalidArgumentError(
      `logits and labels must be the same shape: logits_size=${formatShape(logits.shape)} labels_size=${formatShape(labels.shape)} (op '${ctx.op.name}')`,
    );
  }
  const classes = logits.shape[logits.rank - 1]!;
  const rows = classes === 0 ? logits.shape.slice(0, -1).reduce((p, d) => p * d, 1) : logits.size / classes;
  const x = logits.data as Float32Array;
  const z = labels.data as Float32Array;
  const loss = outputData(ctx, 'float32', rows) as Float32Array;
  const backprop = outputData(ctx, 'float32', logits.size) as Float32Array;
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    const logSumExp = softmaxRow(x, base, classes, backprop);
    let total = 0;
    for (let j = 0; j < classes; j++) {
      const label = z[base + j]!;
      // Skipping zero labels keeps -inf logits (masked classes) from producing 0 * inf = NaN.
      if (label !== 0) total += label * (logSumExp - x[base + j]!);
      backprop[base + j] = backprop[base + j]! - label;
    }
    loss[r] = total;
  }
  return [new NDArray('float32', logits.shape.slice(0, -1), loss), new NDArray('float32', logits.shape, backprop)];
}

function sparseKernel(inputs: readonly NDArray[], ctx: KernelContext): NDArray[] {
  const logits = inputs[0]!;
  const labels = inputs[1]!;
  if (logits.rank === 0 || !shapesEqual(logits.shape.slice(0, -1), labels.shape)) {
    throw new InvalidArgumentError(
      `labels shape must equal logits shape except for the last dimension: labels ${formatShape(labels.shape)}, logits ${formatShape(logits.shape)} (op '${ctx.op.name}')`,
    );
  }
  const classes = logits.shape[logits.rank - 1]!;
  const rows = labels.size;
  const ids = labels.data;
  for (let r = 0; r < rows; r++) {
    const id = ids[r]!;
    if (id < 0 || id >= classes) {
      throw new InvalidArgumentError(
        `Received a label value of ${id} which is outside the valid range of [0, ${classes}).  Label values: ${Array.from(ids).join(' ')}`,
      );
    }
  }
  const x = logits.data as Float32Array;
  const loss = outputData(ctx, 'float32', rows) as Float32Array;
  const backprop = outputData(ctx, 'float32', logits.size) as Float32Array;
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    const logSumExp = softmaxRow(x, base, classes, backprop);
    const label = base + ids[r]!;
    loss[r] = logSumExp - x[label]!;
    backprop[label] = backprop[label]! - 1;
  }
  return [new NDArray('float32', labels.shape, loss), new NDArray('float32', logits.shape, backprop)];
}

export const softmaxCrossEntropyCpuKernels: OpKernelSpec[] = [
  { opType: 'SoftmaxCrossEntropyWithLogits', device: 'cpu', kernel: denseKernel },
  { opType: 'SparseSoftmaxCrossEntropyWithLogits', device: 'cpu', kernel: sparseKernel },
];
