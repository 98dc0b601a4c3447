import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DataLossError } from '@tsflow/core';

/**
 * The worker entry, always the built file (worker threads run JavaScript only): this path names
 * it both from dist/io/parquet and, under vitest, from src/io/parquet.
 */
const WORKER_ENTRY = new URL('../../../dist/io/parquet/parquet_decoder_worker.js', import.meta.url);

/** Main thread → decode worker: decode `bytes` (moved) into batches of `batchSize` rows from row `offset`. @internal */
export interface DecodeRequest {
  id: number;
  bytes: Uint8Array;
  offset: number;
  batchSize: number;
}

/** Decode worker → main thread: loaded, or the IPC stream (moved) / error for request `id`. @internal */
export type DecodeReply = { type: 'ready' } | { id: number; ipc: Uint8Array } | { id: number; error: string };

interface Request {
  resolve(ipc: Uint8Array): void;
  reject(error: Error): void;
}

/**
 * The default of `fromParquet`'s `decodeThread` option: on when a second core exists and
 * TSFLOW_THREADS (the thread budget core sessions honour too) doesn't say 1.
 */
export function defaultDecodeThread(): boolean {
  const threads = process.env['TSFLOW_THREADS'];
  if (threads !== undefined && threads.trim() !== '' && Number(threads) <= 1) return false;
  return availableParallelism() > 1;
}

/**
 * One worker thread (parquet_decoder_worker.ts) shared by every Parquet read of the process,
 * started on first use. Requests are answered in order. It keeps the process alive only while
 * a request is pending. @internal
 */
export class ParquetDecodeThread {
  private worker: Worker | undefined;
  private ready = false;
  private nextId = 0;
  private readonly pending = new Map<number, Request>();
  /** Row groups decoded on the thread so far (read by tests). */
  decoded = 0;

  /** Whether the worker has loaded parquet-wasm; until then callers decode themselves. */
  get isReady(): boolean {
    return this.ready;
  }

  /** Starts the worker (loading WASM takes ~0.2 s) so that it is ready when needed. */
  warmUp(): void {
    this.worker ??= this.spawn();
  }

  /**
   * Decodes `file` (a standalone Parquet file; its buffer is moved to the worker) into an Arrow
   * IPC stream of batches of `batchSize` rows from row `offset`. A decoding error rejects with
   * the decoder's message as a plain Error; a dead thread with a DataLossError.
   */
  decode(file: Uint8Array, offset: number, batchSize: number): Promise<Uint8Array> {
    const worker = (this.worker ??= this.spawn());
    const own = file.byteOffset === 0 && file.byteLength === file.buffer.byteLength ? file : file.slice();
    const id = this.nextId++;
    if (this.pending.size === 0) worker.ref();
    return new Promise<Uint8Array>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, bytes: own, offset, batchSize } satisfies DecodeRequest, [own.buffer as ArrayBuffer]);
    });
  }

  /** Stops the worker (tests use it to check that pending reads fail cleanly). */
  async stop(): Promise<void> {
    await this.worker?.terminate();
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_ENTRY);
    // Idle until a request comes: an idle decoder must not keep the process alive.
    worker.unref();
    worker.on('message', (message: DecodeReply) => {
      if ('type' in message) {
        this.ready = true;
        return;
      }
      const request = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (this.pending.size === 0) worker.unref();
      if (request === undefined) return;
      this.decoded++;
      if ('error' in message) request.reject(new Error(message.error));
      else request.resolve(message.ipc);
    });
    const fail = (reason: string) => {
      if (this.worker === worker) {
        this.worker = undefined;
        this.ready = false;
      }
      for (const request of this.pending.values())
        request.reject(new DataLossError(`fromParquet: the Parquet decode thread ${reason}`));
      this.pending.clear();
    };
    worker.once('error', (error) => fail(`crashed: ${error.message}`));
    worker.once('exit', (code) => fail(`exited (code ${code}) with a row group still being decoded`));
    return worker;
  }
}

/** The process's decode thread. @internal */
export const parquetDecodeThread = new ParquetDecodeThread();
