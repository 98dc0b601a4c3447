import { InvalidArgumentError } from '../errors.js';
import type { Tensor } from '../graph/tensor.js';
import type { StaticShape } from '../ndarray/shape.js';
import { formatShape } from '../ndarray/shape.js';
import { int32IdsInput } from './static_value.js';
import { buildOp, buildOp1, requireDTypes, shapeError, type OpOptions, type TensorLike } from './op_builder.js';

export interface CrossEntropyArgs extends OpOptions {
  labels: TensorLike;
  logits: TensorLike;
}

function requireArgs(args: CrossEntropyArgs, what: string): void {
  if (typeof args !== 'object' || args === null || args.labels === undefined || args.logits === undefined) {
    throw new InvalidArgumentError(`${what}: expected an object { labels, logits }`);
  }
}

/** Merges two static shapes that must be equal (`message` builds the error); null when the rank of both is unknown. @internal */
export function mergeEqualShapes(a: StaticShape, b: StaticShape, message: () => string): StaticShape {
  if (a === null) return b;
  if (b === null) return a;
  if (a.length !== b.length) throw new InvalidArgumentError(message());
  return a.map((d, i) => {
    const e = b[i]!;
    if (d !== null && e !== null && d !== e) throw new InvalidArgumentError(message());
    return d ?? e;
  });
}

/**
 * Per-example softmax cross-entropy along the last axis: `-sum(labels * logSoftmax(logits))`,
 * via log-sum-exp so large logits don't overflow. `labels` are probabilities, same shape as
 * `logits`; the result has the logits' shape minus the last dim.
 *
 * The op (`SoftmaxCrossEntropyWithLogits`, inputs [logits, labels]) has a second output, the
 * gradient `softmax(logits) - labels`, as in TF.
 *
 * @example
 * const losses = softmaxCrossEntropyWithLogits({ labels: oneHot(y, 10), logits });
 */
export function softmaxCrossEntropyWithLogits(args: CrossEntropyArgs): Tensor {
  requireArgs(args, 'softmaxCrossEntropyWithLogits');
  const type = 'SoftmaxCrossEntropyWithLogits';
  return buildOp({
    type,
    inputs: [args.logits, args.labels],
    options: args,
    dtypeHint: 'float32',
    infer: (inputs, opName) => {
      const [logits, labels] = inputs as [Tensor, Tensor];
      requireDTypes(logits, ['float32'], opName, type);
      requireDTypes(labels, ['float32'], opName, type);
      const merged = mergeEqualShapes(
        logits.shape,
        labels.shape,
        () =>
          `logits and labels must be the same shape for '${opName}' (op: '${type}'): logits ${formatShape(logits.shape)}, labels ${formatShape(labels.shape)}.`,
      );
      if (merged !== null && merged.length === 0)
        throw shapeError('logits must be at least rank 1 but is rank 0', opName, type, inputs);
      return [
        { dtype: 'float32', shape: merged === null ? null : merged.slice(0, -1) },
        { dtype: 'float32', shape: merged },
      ];
    },
  }).outputs[0]!;
}

/**
 * Per-example softmax cross-entropy with int32 class `labels` (shape = logits' shape minus the
 * last dim). A label outside [0, classes) fails at run time, as in TF.
 *
 * The op (`SparseSoftmaxCrossEntropyWithLogits`, inputs [logits, labels]) has a second output,
 * the gradient `softmax(logits) - oneHot(labels)`.
 *
 * @example
 * const loss = reduceMean(sparseSoftmaxCrossEntropyWithLogits({ labels: y, logits }));
 */
export function sparseSoftmaxCrossEntropyWithLogits(args: CrossEntropyArgs): Tensor {
  requireArgs(args, 'sparseSoftmaxCrossEntropyWithLogits');
  const type = 'SparseSoftmaxCrossEntropyWithLogits';
  return buildOp({
    type,
    // Plain label arrays are class ids: int32 constants.
    inputs: [
      args.logits,
      int32IdsInput(args.labels, `${args.name ?? 'sparseSoftmaxCrossEntropyWithLogits'}: labels`) as TensorLike,
    ],
    options: args,
    dtypeHint: 'none',
    infer: (inputs, opName) => {
      const [logits, labels] = inputs as [Tensor, Tensor];
      requireDTypes(logits, ['float32'], opName, type);
      requireDTypes(labels, ['int32'], opName, type);
      if (logits.shape !== null && logits.shape.length === 0)
        throw shapeError('logits must be at least rank 1 but is rank 0', opName, type, inputs);
      const batch = logits.shape === null ? null : logits.shape.slice(0, -1);
      const merged = mergeEqualShapes(
        batch,
        labels.shape,
        () =>
          `labels shape must equal logits shape except for the last dimension for '${opName}' (op: '${type}'): labels ${formatShape(labels.shape)}, logits ${formatShape(logits.shape)}.`,
      );
      const classes = logits.shape === null ? null : logits.shape[logits.shape.length - 1]!;
      return [
        { dtype: 'float32', shape: merged },
        { dtype: 'float32', shape: merged === null ? null : [...merged, classes] },
      ];
    },
  }).outputs[0]!;
}

/**
 * Elementwise sigmoid cross-entropy, TF's stable form `max(x, 0) - x * z + log(1 + exp(-|x|))`
 * with x = logits, z = labels (same shape).
 *
 * @example
 * sigmoidCrossEntropyWithLogits({ labels: [1, 0], logits: [2.5, -1] });
 */
export function sigmoidCrossEntropyWithLogits(args: CrossEntropyArgs): Tensor {
  requireArgs(args, 'sigmoidCrossEntropyWithLogits');
  const type = 'SigmoidCrossEntropyWithLogits';
  return buildOp1({
    type,
    inputs: [args.logits, args.labels],
    options: args,
    dtypeHint: 'float32',
    infer: (inputs, opName) => {
      const [logits, labels] = inputs as [Tensor, Tensor];
      requireDTypes(logits, ['float32'], opName, type);
      requireDTypes(labels, ['float32'], opName, type);
      const merged = mergeEqualShapes(
        logits.shape,
        labels.shape,
        () =>
          `logits and labels must have the same shape for '${opName}' (op: '${type}'): logits ${formatShape(logits.shape)}, labels ${formatShape(labels.shape)}.`,
      );
      return [{ dtype: 'float32', shape: merged }];
    },
  });
}
