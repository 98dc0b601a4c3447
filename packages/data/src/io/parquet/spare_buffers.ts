import type { Allocate } from './row_group_file.js';

/** Room added to a new buffer so that a later, slightly larger row group file still fits. */
const SLACK = 1 / 8;
/** Spare buffers kept: one per row group in flight (read-ahead and current) of two readers. */
const LIMIT = 6;
/** Spare buffers are dropped once no row group file was read for this long. */
const IDLE_RELEASE_MS = 2000;

/**
 * Buffers of row group files the decoder is done with (it copies its input into WASM memory),
 * reused for the next row groups' bytes. They are shared memory, so handing one to a decode
 * worker moves nothing: a scan reads into the same few buffers instead of allocating one per
 * row group, which spares the main thread page faults and the garbage collector the external
 * memory pressure of ~one file's worth of bytes per scan (measured: most of its full GCs).
 * At most LIMIT are kept, and only while reads go on. @internal
 */
export class SpareBuffers {
  private buffers: SharedArrayBuffer[] = [];
  private releaseTimer: NodeJS.Timeout | undefined;

  /** A byte array of exactly `size` bytes over a spare buffer that is large enough, or a new one. */
  readonly allocate: Allocate = (size) => {
    this.scheduleRelease();
    const index = this.buffers.findIndex((buffer) => buffer.byteLength >= size);
    if (index >= 0) return new Uint8Array(this.buffers.splice(index, 1)[0]!, 0, size);
    return new Uint8Array(new SharedArrayBuffer(size + Math.ceil(size * SLACK)), 0, size);
  };

  /** Keeps `buffer` (from `allocate`) for reuse: nothing else may use it any more. */
  give(buffer: ArrayBufferLike): void {
    if (buffer instanceof SharedArrayBuffer && this.buffers.length < LIMIT) this.buffers.push(buffer);
  }

  /** Spare buffers held (read by tests). */
  get size(): number {
    return this.buffers.length;
  }

  private scheduleRelease(): void {
    if (this.releaseTimer !== undefined) {
      this.releaseTimer.refresh();
      return;
    }
    this.releaseTimer = setTimeout(() => {
      this.releaseTimer = undefined;
      this.buffers = [];
    }, IDLE_RELEASE_MS);
    this.releaseTimer.unref();
  }
}

/** The process's spare row group file buffers. @internal */
export const spareBuffers = new SpareBuffers();
