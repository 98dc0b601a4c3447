import { allocTypedArray, BYTES_PER_ELEMENT, type DType, type TypedArray } from '../dtype.js';
import { type HeapBlock, tensorHeap, viewOfBlock } from '../cpu_backend/tensor_heap.js';
import { checkTensorBytes } from '../tensor_bytes_limit.js';

/** Frees the blocks of sessions dropped without close(). */
const abandoned = new FinalizationRegistry<Map<TypedArray, HeapBlock>>((blocks) => {
  for (const block of blocks.values()) tensorHeap()?.free(block);
});

/**
 * The memory behind a session's variables: blocks of the tensor heap (so the wasm optimizer
 * kernels update variables in place, and threads can read them), or plain arrays where the heap
 * is unavailable or full. A block goes back to the heap once no run can read it any more.
 * @internal
 */
export class VariableStorage {
  private readonly blocks = new Map<TypedArray, HeapBlock>();
  /** Released in the current run: a value of this run may still read them. */
  private pending: TypedArray[] = [];

  constructor() {
    abandoned.register(this, this.blocks, this);
  }

  /** `length` elements of `dtype` (contents unspecified). */
  allocate(dtype: DType, length: number): TypedArray {
    checkTensorBytes(length * BYTES_PER_ELEMENT[dtype]);
    const block = tensorHeap()?.alloc(length * BYTES_PER_ELEMENT[dtype]) ?? null;
    if (block === null) return allocTypedArray(dtype, length);
    const data = viewOfBlock(block, dtype, length);
    this.blocks.set(data, block);
    return data;
  }

  /** `data` no longer holds a value; `readableThisRun`: a value of the current run may still read it. */
  release(data: TypedArray, readableThisRun: boolean): void {
    if (!this.blocks.has(data)) return;
    if (readableThisRun) this.pending.push(data);
    else this.free(data);
  }

  /** A new run starts: what earlier runs released is unreachable now. */
  beginRun(): void {
    for (const data of this.pending) this.free(data);
    this.pending = [];
  }

  /** Frees everything (the session closed). */
  clear(): void {
    abandoned.unregister(this);
    for (const block of this.blocks.values()) tensorHeap()?.free(block);
    this.blocks.clear();
    this.pending = [];
    abandoned.register(this, this.blocks, this);
  }

  private free(data: TypedArray): void {
    const block = this.blocks.get(data);
    if (block === undefined) return;
    this.blocks.delete(data);
    tensorHeap()?.free(block);
  }
}
