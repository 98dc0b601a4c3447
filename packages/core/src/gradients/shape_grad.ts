import { attrsOf, type OpType } from '../graph/op_types.js';
import type { Operation } from '../graph/operation.js';
import type { Tensor } from '../graph/tensor.js';
import { isFullyDefined } from '../ndarray/shape.js';
import { reshape } from '../ops/reshape.js';
import { invertPermutation, transpose } from '../ops/transpose.js';
import type { GradientFn } from './gradient_registry.js';
import { withIndexedSlices } from './indexed_slices.js';
import { reshapeLike } from './reshape_like.js';
import { sumToShape } from '../ops/grad_support_ops.js';
import { concatGrad, gatherGrad, tileGrad } from '../ops/shape_grad_ops.js';

/** Gradient for the data input only; the other inputs (shapes, indices) get none. */
const reshapeBack: GradientFn = (op, [dy]) => op.inputs.map((x, i) => (i === 0 && dy ? reshapeLike(dy, x) : null));

/**
 * The gradient of gather's params: dense (dy scatter-added into zeros of params' shape), plus,
 * for a gather along axis 0 with known row shape, its sparse form (rows of dy and their ids),
 * like TF1's IndexedSlices.
 */
function gatherParamsGradient(op: Operation, dy: Tensor): Tensor {
  const [params, ids] = op.inputs as [Tensor, Tensor];
  const axis = attrsOf<'GatherV2'>(op).axis;
  const dense = gatherGrad(dy, ids, params, axis);
  if (params.shape === null || ids.shape === null || (axis !== 0 && axis !== -params.shape.length)) return dense;
  const rowShape = params.shape.slice(1);
  if (!isFullyDefined(rowShape)) return dense;
  const values = ids.shape.length === 1 ? dy : reshape(dy, [-1, ...rowShape], { name: 'values' });
  const indices = ids.shape.length === 1 ? ids : reshape(ids, [-1], { name: 'indices' });
  return withIndexedSlices(dense, values, indices);
}

export const shapeGradients: [OpType, GradientFn][] = [
  ['Reshape', reshapeBack],
  ['ExpandDims', reshapeBack],
  ['Squeeze', reshapeBack],
  [
    'Transpose',
    (op, [dy]) => {
      if (!dy) return op.inputs.map(() => null);
      const perm = attrsOf<'Transpose'>(op).perm;
      // No perm reverses the axes, which is its own inverse.
      const back = transpose(dy, perm === null ? null : invertPermutation(perm));
      return op.inputs.map((_, i) => (i === 0 ? back : null));
    },
  ],
  ['Tile', (op, [dy]) => op.inputs.map((x, i) => (i === 0 && dy ? tileGrad(dy, x) : null))],
  ['BroadcastTo', (op, [dy]) => op.inputs.map((x, i) => (i === 0 && dy ? sumToShape(dy, x) : null))],
  [
    'Concat',
    (op, [dy]) => op.inputs.map((_, i) => (dy ? concatGrad(dy, op.inputs, attrsOf<'Concat'>(op).axis, i) : null)),
  ],
  ['GatherV2', (op, [dy]) => [dy ? gatherParamsGradient(op, dy) : null, null]],
];
