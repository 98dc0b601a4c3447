import type { Allocate } from './row_group_file.js';

/** Room added to a new buffer so that a later, slightly larger row group file still fits. */
const SLACK = 1 / 8;

/**
 * Buffers of row group files the decoder is done with (it copies its input into WASM memory),
 * reused for the next row groups' bytes. A scan then reads into a few buffers instead of
 * allocating one per row group, which spares the main thread page faults and the garbage
 * collector most of its external-memory pressure. At most `limit` are kept, and only as long
 * as the file reader that owns them. @internal
 */
export class SpareBuffers {
  private readonly buffers: ArrayBuffer[] = [];

  constructor(private readonly limit: number) {}

  /** A byte array of exactly `size` bytes over a spare buffer that is large enough, or a new one. */
  readonly allocate: Allocate = (size) => {
    const index = this.buffers.findIndex((buffer) => buffer.byteLength >= size);
    if (index >= 0) return new Uint8Array(this.buffers.splice(index, 1)[0]!, 0, size);
    return new Uint8Array(new ArrayBuffer(size + Math.ceil(size * SLACK)), 0, size);
  };

  /** Keeps `buffer` for reuse (nothing else may use it any more). */
  give(buffer: ArrayBuffer): void {
    // A detached buffer (moved elsewhere) has no bytes left.
    if (buffer.byteLength > 0 && this.buffers.length < this.limit) this.buffers.push(buffer);
  }
}
