import type { Graph } from '../graph/graph.js';
import type { Tensor } from '../graph/tensor.js';
import type { NDArray } from '../ndarray/ndarray.js';

/** Arrays held by graph constants: sessions copy them before handing them to callers. @internal */
export const graphOwnedArrays = new WeakSet<NDArray>();

/** Adds a `Const` op holding `value` (shape fully known). @internal */
export function constantInGraph(graph: Graph, value: NDArray, name?: string): Tensor {
  graphOwnedArrays.add(value);
  return graph.addOperation({
    type: 'Const',
    name,
    attrs: { value },
    outputs: [{ dtype: value.dtype, shape: value.shape.slice() }],
  }).output;
}
