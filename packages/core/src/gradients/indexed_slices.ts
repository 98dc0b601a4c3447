import type { Tensor } from '../graph/tensor.js';
import type { StaticShape } from '../ndarray/shape.js';
import { concat } from '../ops/concat.js';
import { addN } from '../ops/grad_support_ops.js';

/**
 * The sparse form of a gradient, like TF1's `tf.IndexedSlices`: row `indices[i]` of the dense
 * gradient receives `values[i]` (rows named several times receive the sum), every other row is
 * zero. `gradients()` keeps its `(Tensor | null)[]` contract: for `gather(params, ids)` it returns
 * the dense gradient Tensor (a scatter-add op, run only if something consumes it) and attaches
 * this sparse form to it; `indexedSlicesOf(grad)` reads it back. Optimizers apply such a gradient
 * to the looked-up rows only (TF1's sparse updates); anything else that consumes the Tensor gets
 * the dense values.
 *
 * @example
 * const [dW] = gradients(loss, [embeddings]);
 * const sparse = indexedSlicesOf(dW!); // { values: [n, d], indices: [n], dense: dW }
 */
export class IndexedSlices {
  /**
   * @param values `[n, ...denseShape[1:]]` rows of the gradient.
   * @param indices int32 `[n]`: the dense row each of `values` belongs to.
   * @param dense The same gradient as a dense Tensor.
   */
  constructor(
    readonly values: Tensor,
    readonly indices: Tensor,
    readonly dense: Tensor,
  ) {}

  /** Static shape of the dense gradient. */
  get denseShape(): StaticShape {
    return this.dense.shape;
  }
}

const sparseForms = new WeakMap<Tensor, IndexedSlices>();

/**
 * The sparse form attached to a gradient Tensor by `gradients()`, or undefined for an ordinary
 * (dense) gradient.
 */
export function indexedSlicesOf(grad: Tensor): IndexedSlices | undefined {
  return sparseForms.get(grad);
}

/** Attaches `values`/`indices` as the sparse form of `dense`; returns `dense`. @internal */
export function withIndexedSlices(dense: Tensor, values: Tensor, indices: Tensor): Tensor {
  sparseForms.set(dense, new IndexedSlices(values, indices, dense));
  return dense;
}

/**
 * Sum of gradient contributions. When every contribution is sparse the sum stays sparse
 * (values and indices concatenated, as TF aggregates IndexedSlices); any dense contribution
 * makes the sum dense. The dense AddN is built either way and only runs if consumed.
 * @internal
 */
export function sumGradients(grads: readonly Tensor[]): Tensor {
  const total = addN(grads, { name: 'AddN' });
  const parts = grads.map(indexedSlicesOf);
  if (grads.length < 2 || parts.some((p) => p === undefined)) return total;
  const sparse = parts as IndexedSlices[];
  const values = concat(
    sparse.map((p) => p.values),
    0,
    { name: 'IndexedSlices_values' },
  );
  const indices = concat(
    sparse.map((p) => p.indices),
    0,
    { name: 'IndexedSlices_indices' },
  );
  return withIndexedSlices(total, values, indices);
}
