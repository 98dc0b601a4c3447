import { tensorHeap } from '../cpu_backend/tensor_heap.js';
import type { KernelMemory } from '../kernel_registry.js';

/** Run memory in the tensor heap, as a Session's arena hands it out (never freed: for tests). */
export const heapMemory: KernelMemory = {
  array: (_dtype, length) => {
    const block = tensorHeap()!.alloc(Math.max(4, length * 4))!;
    return new Float32Array(block.buffer, block.offset, length);
  },
};

/** `length` floats in [-0.5, 0.5) from an LCG seeded with `seed`, in the tensor heap. */
export function heapFloats(length: number, seed: number): Float32Array {
  const data = heapMemory.array('float32', length) as Float32Array;
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 32 - 0.5;
  }
  return data;
}
