import { getDefaultGraph } from '../graph/graph.js';
import type { Operation } from '../graph/operation.js';
import { type ControlInput, toControlOp } from '../graph/scopes.js';
import type { Tensor } from '../graph/tensor.js';
import { buildOp1, type OpOptions, type TensorLike } from './op_builder.js';
import { opOptions } from './op_options.js';

/** An op that does nothing; useful as a target for control dependencies. */
export function noOp(options: OpOptions = {}): Operation {
  return getDefaultGraph().addOperation({
    type: 'NoOp',
    name: opOptions<OpOptions>(options, 'noOp').name,
    outputs: [],
  });
}

/**
 * An op that runs after all `inputs` (their ops become control inputs).
 *
 * @example
 * const trainStep = group([updateW, updateB]);
 */
export function group(inputs: readonly ControlInput[], options: OpOptions = {}): Operation {
  const ops = inputs.map((dep, i) => toControlOp(dep, i));
  const graph = ops[0]?.graph ?? getDefaultGraph();
  return graph.addOperation({
    type: 'NoOp',
    name: opOptions<OpOptions>(options, 'group').name ?? 'group_deps',
    controlInputs: ops,
    outputs: [],
  });
}

/** Returns a tensor with the same value as `x`. */
export function identity(x: TensorLike, options: OpOptions = {}): Tensor {
  return buildOp1({
    type: 'Identity',
    inputs: [x],
    options,
    infer: ([t]) => [{ dtype: t!.dtype, shape: t!.shape }],
  });
}

/** Identity in the forward pass; blocks gradients. */
export function stopGradient(x: TensorLike, options: OpOptions = {}): Tensor {
  return buildOp1({
    type: 'StopGradient',
    inputs: [x],
    options,
    infer: ([t]) => [{ dtype: t!.dtype, shape: t!.shape }],
  });
}
