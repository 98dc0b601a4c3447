import { defineGpuKernel, invalidInput, kernelArg, kernelKey, runGpuKernel } from '../../gpu_backend/gpu_kernel.js';
import { kernelFunction } from '../../gpu_backend/index_codegen.js';
import type { Operation } from '../../graph/operation.js';
import type { NDArray } from '../../ndarray/ndarray.js';
import { shapesEqual } from '../../ndarray/shape.js';
import type { OpKernelContext, OpKernelSpec } from '../../kernel_registry.js';
import { attrsOf } from '../../graph/op_types.js';
import { elementwiseSource } from './elementwise_source.js';
import { rowGeometry, rowIndexOf, rowStats } from './row_stats.js';

/**
 * Softmax, log-softmax, the three cross-entropy losses, meanSquaredError, biasAdd and oneHot on
 * gpu.js. References: kernels/cpu/Softmax.ts, SoftmaxCrossEntropyWithLogits.ts,
 * SigmoidCrossEntropyWithLogits.ts, MeanSquaredError.ts, BiasAdd.ts, OneHot.ts. Malformed
 * shapes or labels go to the cpu kernels, which raise the named errors.
 */

function softmaxKernel(log: boolean) {
  return (inputs: readonly NDArray[], ctx: OpKernelContext<'Softmax' | 'LogSoftmax'>): NDArray => {
    const x = inputs[0]!;
    const rawAxis = ctx.attrs.axis;
    const g = rowGeometry(x.shape, rawAxis < 0 ? rawAxis + x.rank : rawAxis);
    const data = kernelArg(x);
    const { max, sumExp } = rowStats(x, data, g);
    const value = log ? 'return x[i] - mx[r] - Math.log(s[r]);' : 'return Math.exp(x[i] - mx[r]) / s[r];';
    const lines = (): string[] => ['const i = this.thread.x;', rowIndexOf(g), value];
    return runGpuKernel(
      kernelKey(log ? 'LogSoftmax' : 'Softmax', inputs, String(rawAxis)),
      () => kernelFunction('x, mx, s', lines(), x.size),
      [data, max, sumExp],
      'float32',
      x.shape,
    );
  };
}

function softmaxUnsupported(inputs: readonly NDArray[], op: Operation): string | undefined {
  const x = inputs[0]!;
  const axis = attrsOf<'Softmax' | 'LogSoftmax'>(op).axis;
  if (x.rank === 0 || axis < -x.rank || axis >= x.rank)
    return invalidInput('a bad softmax axis is reported by the cpu kernel');
  if (x.size === 0) return 'empty tensors are left to the cpu kernel';
  return undefined;
}

/** Loss per row: Σ_j label_j · (log Σexp - (x_j - max)), skipping zero labels like the cpu kernel. */
function denseCrossEntropy(inputs: readonly NDArray[]): NDArray[] {
  const [logits, labels] = inputs as [NDArray, NDArray];
  const g = rowGeometry(logits.shape, logits.rank - 1);
  const x = kernelArg(logits);
  const z = kernelArg(labels);
  const { max, sumExp } = rowStats(logits, x, g);
  const rows = g.outer;
  const lossLines = (): string[] => [
    'const r = this.thread.x;',
    `const base = r * ${g.n};`,
    'const logSum = Math.log(s[r]);',
    'let total = 0.0;',
    `for (let j = 0; j < ${g.n}; j++) {`,
    '  const label = z[base + j];',
    '  if (label !== 0.0) { total += label * (logSum - (x[base + j] - mx[r])); }',
    '}',
    'return total;',
  ];
  const loss = runGpuKernel(
    kernelKey('SoftmaxXentLoss', inputs),
    () => kernelFunction('x, z, mx, s', lossLines(), rows),
    [x, z, max, sumExp],
    'float32',
    logits.shape.slice(0, -1),
  );
  const gradLines = (): string[] => [
    'const i = this.thread.x;',
    rowIndexOf(g),
    'return Math.exp(x[i] - mx[r] - Math.log(s[r])) - z[i];',
  ];
  const backprop = runGpuKernel(
    kernelKey('SoftmaxXentGrad', inputs),
    () => kernelFunction('x, z, mx, s', gradLines(), logits.size),
    [x, z, max, sumExp],
    'float32',
    logits.shape,
  );
  return [loss, backprop];
}

function sparseCrossEntropy(inputs: readonly NDArray[]): NDArray[] {
  const [logits, labels] = inputs as [NDArray, NDArray];
  const g = rowGeometry(logits.shape, logits.rank - 1);
  const x = kernelArg(logits);
  const ids = kernelArg(labels);
  const { max, sumExp } = rowStats(logits, x, g);
  const lossLines = (): string[] => [
    'const r = this.thread.x;',
    `return Math.log(s[r]) - (x[r * ${g.n} + ids[r]] - mx[r]);`,
  ];
  const loss = runGpuKernel(
    kernelKey('SparseXentLoss', inputs),
    () => kernelFunction('x, ids, mx, s', lossLines(), g.outer),
    [x, ids, max, sumExp],
    'float32',
    labels.shape,
  );
  const gradLines = (): string[] => [
    'const i = this.thread.x;',
    rowIndexOf(g),
    'const p = Math.exp(x[i] - mx[r] - Math.log(s[r]));',
    `if (i - r * ${g.n} === ids[r]) { return p - 1.0; }`,
    'return p;',
  ];
  const backprop = runGpuKernel(
    kernelKey('SparseXentGrad', inputs),
    () => kernelFunction('x, ids, mx, s', gradLines(), logits.size),
    [x, ids, max, sumExp],
    'float32',
    logits.shape,
  );
  return [loss, backprop];
}

function denseUnsupported(inputs: readonly NDArray[]): string | undefined {
  const [logits, labels] = inputs as [NDArray, NDArray];
  if (logits.rank === 0 || !shapesEqual(logits.shape, labels.shape))
    return invalidInput('mismatched logits and labels are reported by the cpu kernel');
  if (logits.size === 0) return 'empty logits are left to the cpu kernel';
  return undefined;
}

function sparseUnsupported(inputs: readonly NDArray[]): string | undefined {
  const [logits, labels] = inputs as [NDArray, NDArray];
  if (logits.rank === 0 || !shapesEqual(logits.shape.slice(0, -1), labels.shape))
    return invalidInput('mismatched logits and labels are reported by the cpu kernel');
  if (logits.size === 0) return 'empty logits are left to the cpu kernel';
  const classes = logits.shape[logits.rank - 1]!;
  for (const id of labels.data)
    if (id < 0 || id >= classes) return invalidInput('out-of-range labels are reported by the cpu kernel');
  return undefined;
}

/** TF's overflow-free form, as the cpu kernel: max(x, 0) - x·z + log1p(exp(-|x|)). */
const SIGMOID_XENT_BODY =
  'let pos = x0;\nif (x0 < 0.0) { pos = 0.0; }\nreturn pos - x0 * x1 + Math.log1p(Math.exp(-Math.abs(x0)));';

/** A single thread folds all squared differences (Kahan), then divides: one scalar out. */
function meanSquaredError(inputs: readonly NDArray[]): NDArray {
  const [labels, predictions] = inputs as [NDArray, NDArray];
  const n = labels.size;
  const lines = (): string[] => [
    'let acc = 0.0;',
    'let comp = 0.0;',
    `for (let i = 0; i < ${n}; i++) {`,
    '  const d = p[i] - l[i];',
    '  const y = d * d - comp;',
    '  const t = acc + y;',
    '  comp = (t - acc) - y;',
    '  acc = t;',
    '}',
    `return acc / ${n}.0;`,
  ];
  return runGpuKernel(
    kernelKey('MeanSquaredError', inputs),
    () => kernelFunction('l, p', lines(), 1),
    [kernelArg(labels), kernelArg(predictions)],
    'float32',
    [],
  );
}

function oneHot(inputs: readonly NDArray[], ctx: OpKernelContext<'OneHot'>): NDArray {
  const indices = inputs[0]!;
  const depth = ctx.attrs.depth;
  const lines = (): string[] => [
    'const i = this.thread.x;',
    `const row = Math.floor(i / ${depth});`,
    `if (idx[row] === i - row * ${depth}) { return 1.0; }`,
    'return 0.0;',
  ];
  return runGpuKernel(
    kernelKey('OneHot', inputs, String(depth)),
    () => kernelFunction('idx', lines(), indices.size * depth),
    [kernelArg(indices)],
    'float32',
    [...indices.shape, depth],
  );
}

function sameShapes(inputs: readonly NDArray[]): string | undefined {
  return shapesEqual(inputs[0]!.shape, inputs[1]!.shape)
    ? undefined
    : invalidInput('mismatched shapes are reported by the cpu kernel');
}

export const nnGpuKernels: OpKernelSpec[] = [
  defineGpuKernel({
    opType: 'Softmax',
    integerPolicy: 'cpu',
    unsupported: softmaxUnsupported,
    run: softmaxKernel(false),
  }),
  defineGpuKernel({
    opType: 'LogSoftmax',
    integerPolicy: 'cpu',
    unsupported: softmaxUnsupported,
    run: softmaxKernel(true),
  }),
  defineGpuKernel({
    opType: 'SoftmaxCrossEntropyWithLogits',
    integerPolicy: 'cpu',
    unsupported: denseUnsupported,
    run: denseCrossEntropy,
  }),
  // Labels are int32 class ids (exact as floats); the logits are float32.
  defineGpuKernel({
    opType: 'SparseSoftmaxCrossEntropyWithLogits',
    integerPolicy: 'exact-values',
    unsupported: sparseUnsupported,
    run: sparseCrossEntropy,
  }),
  defineGpuKernel({
    opType: 'SigmoidCrossEntropyWithLogits',
    integerPolicy: 'cpu',
    unsupported: sameShapes,
    run: (inputs) =>
      runGpuKernel(
        kernelKey('SigmoidXent', inputs),
        () => elementwiseSource([inputs[0]!.shape, inputs[1]!.shape], inputs[0]!.shape, SIGMOID_XENT_BODY),
        inputs.map(kernelArg),
        'float32',
        inputs[0]!.shape,
      ),
  }),
  defineGpuKernel({
    opType: 'MeanSquaredError',
    integerPolicy: 'cpu',
    unsupported: (inputs) =>
      sameShapes(inputs) ?? (inputs[0]!.size === 0 ? 'an empty mean is left to the cpu kernel' : undefined),
    run: meanSquaredError,
  }),
  defineGpuKernel({
    opType: 'BiasAdd',
    integerPolicy: 'cpu',
    unsupported: ([x, bias]) =>
      x!.rank === 0 || bias!.rank !== 1 || x!.shape[x!.rank - 1] !== bias!.size
        ? invalidInput('a bias of the wrong size is reported by the cpu kernel')
        : undefined,
    run: (inputs) =>
      runGpuKernel(
        kernelKey('BiasAdd', inputs),
        () => elementwiseSource([inputs[0]!.shape, inputs[1]!.shape], inputs[0]!.shape, 'return x0 + x1;'),
        inputs.map(kernelArg),
        'float32',
        inputs[0]!.shape,
      ),
  }),
  defineGpuKernel({ opType: 'OneHot', integerPolicy: 'exact-values', run: oneHot }),
];
