import { Worker } from 'node:worker_threads';
import { DataLossError } from '@tsflow/core';

/** How the worker builds arrow-rs's WriterProperties (plain data: WASM objects can't cross threads). @internal */
export interface EncoderProperties {
  compression: number;
  rowGroupSize: number;
  /** Dictionary encoding for columns not in `dictionaryColumns`. */
  dictionary: boolean;
  dictionaryColumns: Readonly<Record<string, boolean>>;
  dictionaryPageSizeLimit?: number;
  createdBy: string;
}

/**
 * The worker entry, always the built file (worker threads run JavaScript only): this path names
 * it both from dist/io/writers and, under vitest, from src/io/writers.
 */
const WORKER_ENTRY = new URL('../../../dist/io/writers/parquet_encoder_worker.js', import.meta.url);

/** Record batches handed over but not yet taken by the encoder: enough to keep both cores busy. */
const MAX_IN_FLIGHT = 2;

/** A worker that finished its last file cleanly, kept for the next one (loading WASM costs ~0.2 s). */
let idleWorker: Worker | undefined;

/** Main thread → encoder worker: open a file, hand over an IPC stream, end the file. @internal */
export type EncoderRequest =
  | { type: 'open'; fd: number; properties: EncoderProperties }
  | { type: 'batch'; ipc: Uint8Array }
  | { type: 'end' };

/**
 * Encoder worker → main thread: a batch was taken by the encoder, bytes reached the file (so
 * far), the file is done (its size), or the encoder failed. @internal
 */
export type EncoderReply =
  | { type: 'taken' }
  | { type: 'wrote'; bytes: number }
  | { type: 'done'; bytes: number }
  | { type: 'error'; message: string };

/**
 * One Parquet file being encoded on a worker thread (parquet_encoder_worker.ts), which writes
 * straight to `fd`. The main thread hands it Arrow IPC record batches (their buffers are moved,
 * not copied) and waits only when `MAX_IN_FLIGHT` batches are queued. @internal
 */
export class ParquetEncoding {
  private inFlight = 0;
  private room: (() => void) | undefined;
  private failure: Error | undefined;
  private finished = false;
  private readonly done: Promise<number>;

  private constructor(
    private readonly worker: Worker,
    private readonly path: string,
    /** Called with the bytes written so far, as they reach the file. */
    private readonly onBytes: (bytes: number) => void,
  ) {
    this.done = new Promise<number>((resolve, reject) => {
      const fail = (error: Error) => {
        this.failure ??= error;
        this.room?.();
        reject(this.failure);
      };
      worker.on('message', (message: EncoderReply) => {
        if (message.type === 'taken') {
          this.inFlight--;
          this.room?.();
        } else if (message.type === 'wrote') {
          this.onBytes(message.bytes);
        } else if (message.type === 'done') {
          this.finished = true;
          resolve(message.bytes);
        } else {
          fail(new DataLossError(`writeParquet('${this.path}'): the Parquet encoder failed: ${message.message}`));
        }
      });
      worker.once('error', (error) =>
        fail(new DataLossError(`writeParquet('${this.path}'): the Parquet encoder crashed: ${error.message}`)),
      );
      worker.once('exit', (code) =>
        fail(
          new DataLossError(`writeParquet('${this.path}'): the Parquet encoder exited (code ${code}) before finishing`),
        ),
      );
    });
    // Failures surface through write()/finish(); this only keeps an early one from being unhandled.
    this.done.catch(() => undefined);
  }

  /** Starts encoding into `fd` (an open, empty file) on an idle or new worker. */
  static start(
    fd: number,
    path: string,
    properties: EncoderProperties,
    onBytes: (bytes: number) => void,
  ): ParquetEncoding {
    const worker = idleWorker ?? new Worker(WORKER_ENTRY);
    idleWorker = undefined;
    worker.ref();
    worker.removeAllListeners();
    const encoding = new ParquetEncoding(worker, path, onBytes);
    worker.postMessage({ type: 'open', fd, properties } satisfies EncoderRequest);
    return encoding;
  }

  /** Hands over one IPC stream (a schema and record batches); waits while the encoder is behind. */
  async write(ipc: Uint8Array): Promise<void> {
    while (this.inFlight >= MAX_IN_FLIGHT && this.failure === undefined) {
      await new Promise<void>((resolve) => {
        this.room = () => {
          this.room = undefined;
          resolve();
        };
      });
    }
    if (this.failure !== undefined) throw this.failure;
    // Moving needs a buffer that holds exactly this stream (tableToIPC's output does).
    const own = ipc.byteOffset === 0 && ipc.byteLength === ipc.buffer.byteLength ? ipc : ipc.slice();
    this.inFlight++;
    this.worker.postMessage({ type: 'batch', ipc: own } satisfies EncoderRequest, [own.buffer as ArrayBuffer]);
  }

  /** Ends the file and waits until every byte is written; returns the file's size. */
  async finish(): Promise<number> {
    this.worker.postMessage({ type: 'end' } satisfies EncoderRequest);
    const bytes = await this.done;
    this.release();
    return bytes;
  }

  /** Stops a file that won't be finished: its worker is terminated, not reused. */
  async abort(): Promise<void> {
    if (this.finished) return;
    this.failure ??= new DataLossError(`writeParquet('${this.path}'): aborted`);
    this.worker.removeAllListeners();
    await this.worker.terminate();
  }

  private release(): void {
    this.worker.removeAllListeners();
    if (idleWorker === undefined) {
      // An idle worker must not keep the process alive.
      this.worker.unref();
      idleWorker = this.worker;
    } else {
      void this.worker.terminate();
    }
  }
}
