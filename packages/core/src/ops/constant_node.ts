import type { Graph } from '../graph/graph.js';
import type { Tensor } from '../graph/tensor.js';
import { NDArray } from '../ndarray/ndarray.js';

/**
 * Buffers held by graph constants: sessions copy any fetched value that views one of them
 * (the constant itself, or a reshaped view of it) before handing it to callers. @internal
 */
export const graphOwnedBuffers = new WeakSet<ArrayBufferLike>();

/**
 * Adds a `Const` op holding `value` (shape fully known). A float64 value (a host dtype) becomes
 * float32, the graph's float, as TF's default float does. @internal
 */
export function constantInGraph(graph: Graph, given: NDArray, name?: string): Tensor {
  const value = given.dtype === 'float64' ? new NDArray('float32', given.shape, Float32Array.from(given.data)) : given;
  graphOwnedBuffers.add(value.data.buffer);
  return graph.addOperation({
    type: 'Const',
    name,
    attrs: { value },
    outputs: [{ dtype: value.dtype, shape: value.shape.slice() }],
  }).output;
}
