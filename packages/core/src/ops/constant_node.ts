import type { Graph } from '../graph/graph.js';
import type { Tensor } from '../graph/tensor.js';
import type { NDArray } from '../ndarray/ndarray.js';

/**
 * Buffers held by graph constants: sessions copy any fetched value that views one of them
 * (the constant itself, or a reshaped view of it) before handing it to callers. @internal
 */
export const graphOwnedBuffers = new WeakSet<ArrayBufferLike>();

/** Adds a `Const` op holding `value` (shape fully known). @internal */
export function constantInGraph(graph: Graph, value: NDArray, name?: string): Tensor {
  graphOwnedBuffers.add(value.data.buffer);
  return graph.addOperation({
    type: 'Const',
    name,
    attrs: { value },
    outputs: [{ dtype: value.dtype, shape: value.shape.slice() }],
  }).output;
}
