import type { KernelContext, KernelMemory } from '../kernel_registry.js';
import { heapAddress, wasmKernels } from './wasm_kernels.js';
import type { HeapBlock, TensorHeap } from './tensor_heap.js';

/**
 * Heap byte addresses for the operands of a wasm kernel. Arrays already in the heap (outputs
 * of earlier steps, variables) are used in place; others (fed values, constants) are copied into
 * the run's memory first, and outputs that live outside the heap are computed in the heap and
 * copied back by `finish()`. Any address may be null when the heap has no room: the caller then
 * takes its JS path.
 * @internal
 */
export class HeapOperands {
  private readonly temporaries: HeapBlock[] = [];
  private readonly copyBacks: { target: Float32Array; offset: number; source: Float32Array }[] = [];

  constructor(
    private readonly heap: TensorHeap,
    private readonly memory: KernelMemory | undefined,
  ) {}

  /** Address of data[offset, offset + length), copied into the heap when it lives elsewhere. */
  input(data: Float32Array, offset: number, length: number): number | null {
    if (this.heap.owns(data.buffer)) return data.byteOffset + offset * 4;
    const staged = this.scratch(length);
    if (staged === null) return null;
    staged.set(data.subarray(offset, offset + length));
    return staged.byteOffset;
  }

  /**
   * Address to write data[offset, offset + length) at. `keep`: the kernel reads the current
   * contents too (it accumulates), so a staged copy starts from them.
   */
  output(data: Float32Array, offset: number, length: number, keep = false): number | null {
    if (this.heap.owns(data.buffer)) return data.byteOffset + offset * 4;
    const staged = this.scratch(length);
    if (staged === null) return null;
    if (keep) staged.set(data.subarray(offset, offset + length));
    this.copyBacks.push({ target: data, offset, source: staged });
    return staged.byteOffset;
  }

  /** Copies staged outputs back and frees temporary blocks. Call once, also after a failure. */
  finish(): void {
    for (const { target, offset, source } of this.copyBacks) target.set(source, offset);
    this.copyBacks.length = 0;
    for (const block of this.temporaries) this.heap.free(block);
    this.temporaries.length = 0;
  }

  /** Floats in the heap that live until finish() (or, from the run's memory, until the run ends). */
  scratch(length: number): Float32Array | null {
    if (this.memory) {
      const array = this.memory.array('float32', length) as Float32Array;
      return this.heap.owns(array.buffer) ? array : null;
    }
    const block = this.heap.alloc(length * 4);
    if (block === null) return null;
    this.temporaries.push(block);
    return new Float32Array(block.buffer, block.offset, length);
  }
}

/**
 * `data` as a wasm kernel reads it: itself when it lives in the heap (a kernel's output, a
 * variable) or wasm is off; else (a fed value, a constant) one copy in the run's heap memory,
 * valid until the run ends. Without run memory (a kernel called outside a Session), `data`.
 * @internal
 */
export function heapResident(ctx: KernelContext, data: Float32Array): Float32Array {
  const wasm = wasmKernels();
  if (wasm === null || heapAddress(wasm, data) >= 0 || !ctx.memory) return data;
  const staged = ctx.memory.array('float32', data.length) as Float32Array;
  if (heapAddress(wasm, staged) < 0) return data;
  staged.set(data);
  return staged;
}
