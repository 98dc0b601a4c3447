import { Worker } from 'node:worker_threads';
import { DataLossError } from '@tsflow/core';

/**
 * The worker entry, always the built file (worker threads run JavaScript only): this path names
 * it both from dist/io/parquet and, under vitest, from src/io/parquet.
 */
const WORKER_ENTRY = new URL('../../../dist/io/parquet/parquet_decoder_worker.js', import.meta.url);

/**
 * Main thread → decode worker: decode the standalone Parquet file in the first `length` bytes
 * of `buffer` (moved) into batches of `batchSize` rows from row `offset`. @internal
 */
export interface DecodeRequest {
  id: number;
  buffer: ArrayBufferLike;
  length: number;
  offset: number;
  batchSize: number;
}

/**
 * Decode worker → main thread: loaded; or for request `id` the IPC stream or the error, with
 * the request's buffer given back (moved) once the decoder has copied it, for reuse. @internal
 */
export type DecodeReply =
  | { type: 'ready' }
  | { id: number; ipc: Uint8Array; spare: ArrayBufferLike }
  | { id: number; error: string; spare: ArrayBufferLike };

/** A decoded row group: its Arrow IPC stream, and the request's buffer, free to reuse. @internal */
export interface DecodedRowGroup {
  ipc: Uint8Array;
  spare: ArrayBufferLike;
}

interface Request {
  resolve(decoded: DecodedRowGroup): void;
  reject(error: Error): void;
}

/**
 * One worker thread running parquet_decoder_worker.ts. Requests are answered in order. It keeps
 * the process alive only while a request is pending. @internal
 */
export class DecodeWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Request>();
  private nextId = 0;
  /** Whether it has loaded parquet-wasm (until then requests would wait ~0.2 s for it). */
  ready = false;
  /** Row groups decoded so far. */
  decoded = 0;

  /** `died`: called once the worker is gone (its pending requests rejected). */
  constructor(private readonly died: (worker: DecodeWorker) => void) {
    const worker = new Worker(WORKER_ENTRY);
    this.worker = worker;
    worker.on('message', (message: DecodeReply) => this.receive(message));
    worker.once('error', (error) => this.fail(`crashed: ${error.message}`));
    worker.once('exit', (code) => this.fail(`exited (code ${code}) with a row group still being decoded`));
    // Idle until a request comes: an idle decoder must not keep the process alive. (After the
    // listeners: adding a 'message' listener refs the worker again.)
    worker.unref();
  }

  /** Requests not answered yet. */
  get load(): number {
    return this.pending.size;
  }

  /**
   * Decodes the file in `file`, whose whole buffer the caller owns: shared memory is lent to
   * the worker until the reply, a plain buffer is moved there (and back with the reply).
   */
  decode(file: Uint8Array, offset: number, batchSize: number): Promise<DecodedRowGroup> {
    // The decoder reads from byte 0 of the buffer: a view further in is copied out first.
    const buffer = file.byteOffset === 0 ? file.buffer : file.slice().buffer;
    const id = this.nextId++;
    if (this.pending.size === 0) this.worker.ref();
    return new Promise<DecodedRowGroup>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const request: DecodeRequest = { id, buffer, length: file.byteLength, offset, batchSize };
      this.worker.postMessage(request, buffer instanceof SharedArrayBuffer ? [] : [buffer as ArrayBuffer]);
    });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }

  private receive(message: DecodeReply): void {
    if ('type' in message) {
      this.ready = true;
      return;
    }
    const request = this.pending.get(message.id);
    this.pending.delete(message.id);
    if (this.pending.size === 0) this.worker.unref();
    if (request === undefined) return;
    this.decoded++;
    if ('error' in message) request.reject(new Error(message.error));
    else request.resolve({ ipc: message.ipc, spare: message.spare });
  }

  private fail(reason: string): void {
    this.ready = false;
    for (const request of this.pending.values())
      request.reject(new DataLossError(`fromParquet: the Parquet decode thread ${reason}`));
    this.pending.clear();
    this.died(this);
  }
}
