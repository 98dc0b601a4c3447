/**
 * The memory that cpu kernels' outputs and scratch live in between runs: one shared
 * WebAssembly.Memory, so that the WebAssembly kernels work on tensors in place (no copy in or
 * out) and worker threads see the same bytes. Blocks are handed out first-fit from a free list
 * kept sorted by offset, and neighbours merge when freed, so plans of many shapes can come and
 * go without fragmenting the memory for good.
 *
 * Where shared WebAssembly memory is missing (no SharedArrayBuffer), the heap is a plain
 * ArrayBuffer per block: kernels then take their JS paths. Blocks that don't fit (the memory's
 * maximum) are plain ArrayBuffers too; only the speed differs.
 */

import type { DType, TypedArray } from '../dtype.js';

/** A byte range of the heap, or a standalone buffer (`offset` 0) when the heap had no room. */
export interface HeapBlock {
  readonly buffer: ArrayBufferLike;
  readonly offset: number;
  readonly bytes: number;
  /** Whether the block lies in the shared memory (and must be given back with `free`). */
  readonly inHeap: boolean;
}

/** Blocks start on cache lines (and so on the 16-byte boundaries SIMD loads like). */
const ALIGN = 64;
const PAGE = 65536;
/** 2 GiB: byte offsets stay below 2^31, so they pass to wasm as i32 unchanged. */
const MAX_PAGES = 32768;
const INITIAL_PAGES = 256;

interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}

interface WasmMemoryApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

/** A first-fit allocator over one shared WebAssembly.Memory. @internal */
export class TensorHeap {
  readonly memory: WasmMemory;
  /** Free ranges [start, end) sorted by start; neighbours are always merged. */
  private readonly freeStarts: number[] = [];
  private readonly freeEnds: number[] = [];
  /** Byte offset where never-used memory starts. */
  private top: number;
  /** Every SharedArrayBuffer object the memory has had (growing makes a new one). */
  private readonly buffers = new WeakSet<object>();
  private bytesInUse = 0;

  /** `maxPages` must not exceed the memory's own maximum. */
  constructor(
    memory: WasmMemory,
    reservedBytes: number,
    private readonly maxPages = MAX_PAGES,
  ) {
    this.memory = memory;
    this.top = roundUp(reservedBytes);
    this.buffers.add(memory.buffer);
  }

  /** Whether `buffer` is (a generation of) this heap's memory. */
  owns(buffer: ArrayBufferLike): boolean {
    return this.buffers.has(buffer);
  }

  /** Bytes handed out and not yet freed. */
  get inUse(): number {
    return this.bytesInUse;
  }

  /** A block of at least `bytes` bytes, or null when the memory cannot grow that far. */
  alloc(bytes: number): HeapBlock | null {
    const size = roundUp(bytes);
    for (let i = 0; i < this.freeStarts.length; i++) {
      const start = this.freeStarts[i]!;
      const room = this.freeEnds[i]! - start;
      if (room < size) continue;
      if (room === size) {
        this.freeStarts.splice(i, 1);
        this.freeEnds.splice(i, 1);
      } else {
        this.freeStarts[i] = start + size;
      }
      return this.block(start, size);
    }
    const start = this.top;
    if (!this.ensureCapacity(start + size)) return null;
    this.top = start + size;
    return this.block(start, size);
  }

  /** Gives a block back; it merges with free neighbours. */
  free(block: HeapBlock): void {
    if (!block.inHeap) return;
    this.bytesInUse -= block.bytes;
    const start = block.offset;
    const end = start + block.bytes;
    // First free range that starts after this block.
    let lo = 0;
    let hi = this.freeStarts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.freeStarts[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    const joinsPrevious = lo > 0 && this.freeEnds[lo - 1] === start;
    const joinsNext = lo < this.freeStarts.length && this.freeStarts[lo] === end;
    if (joinsPrevious && joinsNext) {
      this.freeEnds[lo - 1] = this.freeEnds[lo]!;
      this.freeStarts.splice(lo, 1);
      this.freeEnds.splice(lo, 1);
    } else if (joinsPrevious) {
      this.freeEnds[lo - 1] = end;
    } else if (joinsNext) {
      this.freeStarts[lo] = start;
    } else {
      this.freeStarts.splice(lo, 0, start);
      this.freeEnds.splice(lo, 0, end);
    }
    // A free range at the top goes back to never-used memory.
    const last = this.freeStarts.length - 1;
    if (last >= 0 && this.freeEnds[last] === this.top) {
      this.top = this.freeStarts[last]!;
      this.freeStarts.pop();
      this.freeEnds.pop();
    }
  }

  private block(offset: number, bytes: number): HeapBlock {
    this.bytesInUse += bytes;
    return { buffer: this.memory.buffer, offset, bytes, inHeap: true };
  }

  private ensureCapacity(end: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return true;
    const pages = Math.ceil((end - have) / PAGE);
    if (have / PAGE + pages > this.maxPages) return false;
    try {
      this.memory.grow(pages);
    } catch {
      // The system refused the memory: callers fall back to standalone blocks.
      return false;
    }
    this.buffers.add(this.memory.buffer);
    return true;
  }
}

/** Size of the block that holds `bytes` (whole cache lines). */
export function roundUp(bytes: number): number {
  return Math.ceil(Math.max(bytes, 1) / ALIGN) * ALIGN;
}

const standaloneBuffers = new WeakSet<object>();

/** A standalone block (plain ArrayBuffer) for when the heap is unavailable or full. */
export function standaloneBlock(bytes: number): HeapBlock {
  bytes = roundUp(bytes);
  const buffer = new ArrayBuffer(bytes);
  standaloneBuffers.add(buffer);
  return { buffer, offset: 0, bytes, inHeap: false };
}

/**
 * Whether `buffer` is memory that later runs reuse (the heap, or a standalone block): a value in
 * it must be copied before it reaches the user.
 */
export function isReusedMemory(buffer: ArrayBufferLike): boolean {
  return standaloneBuffers.has(buffer) || (heap ? heap.owns(buffer) : false);
}

let heap: TensorHeap | null | undefined;

/** The process-wide heap (created on first use), or null where shared WebAssembly memory is unavailable. */
export function tensorHeap(): TensorHeap | null {
  if (heap === undefined) heap = createHeap();
  return heap;
}

function createHeap(): TensorHeap | null {
  const api = (globalThis as { WebAssembly?: WasmMemoryApi }).WebAssembly;
  if (api === undefined || typeof SharedArrayBuffer === 'undefined') return null;
  try {
    // The first line stays unused, so no block ever starts at address 0.
    return new TensorHeap(new api.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES, shared: true }), ALIGN);
  } catch {
    return null;
  }
}

/** A typed view of `length` elements of `dtype` over a block (no copy). */
export function viewOfBlock(block: HeapBlock, dtype: DType, length: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(block.buffer, block.offset, length);
    case 'int32':
      return new Int32Array(block.buffer, block.offset, length);
    case 'bool':
      return new Uint8Array(block.buffer, block.offset, length);
    case 'float64':
      return new Float64Array(block.buffer, block.offset, length);
  }
}
