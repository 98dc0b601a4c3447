import { describe, expect, it } from 'vitest';
import { isReusedMemory, roundUp, standaloneBlock, TensorHeap, tensorHeap } from './tensor_heap.js';

interface MemoryConstructor {
  new (descriptor: { initial: number; maximum: number; shared: boolean }): ConstructorParameters<typeof TensorHeap>[0];
}

function smallHeap(): TensorHeap {
  // The repo's TS libs don't declare WebAssembly as a value (see wasm_gemm.ts).
  const Memory = (globalThis as unknown as { WebAssembly: { Memory: MemoryConstructor } }).WebAssembly.Memory;
  return new TensorHeap(new Memory({ initial: 1, maximum: 4, shared: true }), 64, 4);
}

describe('TensorHeap', () => {
  it('hands out disjoint, cache-line aligned blocks above the reserved bytes', () => {
    const heap = smallHeap();
    const a = heap.alloc(10)!;
    const b = heap.alloc(100)!;
    expect(a.offset).toBe(64);
    expect(b.offset).toBe(128);
    expect(b.bytes).toBe(128);
    expect(a.offset % 64).toBe(0);
    expect(heap.inUse).toBe(192);
  });

  it('reuses freed space first-fit and merges free neighbours', () => {
    const heap = smallHeap();
    const a = heap.alloc(64)!;
    const b = heap.alloc(64)!;
    const c = heap.alloc(64)!;
    heap.alloc(64);
    heap.free(a);
    heap.free(c);
    heap.free(b);
    // a, b and c merged into one 192-byte range: a 192-byte request fits where a was.
    expect(heap.alloc(192)!.offset).toBe(a.offset);
    expect(heap.inUse).toBe(256);
  });

  it('gives the top range back, so freeing everything resets the heap', () => {
    const heap = smallHeap();
    const blocks = [heap.alloc(1000)!, heap.alloc(3000)!, heap.alloc(50)!];
    for (const block of blocks.reverse()) heap.free(block);
    expect(heap.inUse).toBe(0);
    expect(heap.alloc(10)!.offset).toBe(64);
  });

  it('grows the memory for large blocks, and refuses beyond its maximum', () => {
    const heap = smallHeap();
    const big = heap.alloc(100_000)!;
    expect(big.offset + big.bytes).toBeLessThanOrEqual(heap.memory.buffer.byteLength);
    expect(heap.owns(big.buffer)).toBe(true);
    expect(heap.alloc(4 * 65536)).toBeNull();
  });

  it('marks heap memory and standalone blocks as reused memory, plain buffers not', () => {
    const shared = tensorHeap();
    expect(shared).not.toBeNull();
    const block = shared!.alloc(16)!;
    expect(isReusedMemory(block.buffer)).toBe(true);
    shared!.free(block);
    expect(isReusedMemory(standaloneBlock(8).buffer)).toBe(true);
    expect(standaloneBlock(8).bytes).toBe(roundUp(8));
    expect(isReusedMemory(new ArrayBuffer(8))).toBe(false);
  });
});
