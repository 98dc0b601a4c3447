import { availableParallelism } from 'node:os';
import { DecodeWorker, type DecodedRowGroup } from './decode_worker.js';

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
 * Decode workers started by default: two, so that while one decodes a row group the other
 * decodes the next (decoding is most of a scan's work; the main thread only reads bytes and
 * slices batches). Measured in bench/parquet.bench.mjs (see BENCHMARKS.md).
 */
const DEFAULT_WORKERS = 2;

/**
 * The decode threads (parquet_decoder_worker.ts) shared by every Parquet read of the process,
 * started on first use. Each request goes to the ready worker with the fewest pending; each
 * request has its own promise, so callers keep their order whichever worker answers first.
 * @internal
 */
export class ParquetDecodeThread {
  private readonly workers: DecodeWorker[] = [];
  /** How many workers `warmUp` starts (tests and benches may change it before first use). */
  size = DEFAULT_WORKERS;
  /** Where the search for the next worker starts (round robin among equals). */
  private turn = 0;
  /** Row groups decoded by workers that have since stopped. */
  private decodedByDead = 0;

  /** Row groups decoded on the threads so far (read by tests). */
  get decoded(): number {
    return this.workers.reduce((sum, worker) => sum + worker.decoded, this.decodedByDead);
  }

  /** Row groups decoded so far by each running worker (read by tests). */
  get decodedByWorker(): number[] {
    return this.workers.map((worker) => worker.decoded);
  }

  /** Workers that have loaded parquet-wasm (read by tests). */
  get readyWorkers(): number {
    return this.workers.filter((worker) => worker.ready).length;
  }

  /** Whether a worker has loaded parquet-wasm; until then callers decode themselves. */
  get isReady(): boolean {
    return this.workers.some((worker) => worker.ready);
  }

  /** Starts the workers (loading WASM takes ~0.2 s) so that they are ready when needed. */
  warmUp(): void {
    while (this.workers.length < this.size) {
      this.workers.push(
        new DecodeWorker((dead) => {
          const index = this.workers.indexOf(dead);
          if (index < 0) return;
          this.workers.splice(index, 1);
          this.decodedByDead += dead.decoded;
        }),
      );
    }
  }

  /**
   * Decodes `file` (a standalone Parquet file; its buffer is moved to a worker, so the caller
   * must own all of it) into an Arrow IPC stream of batches of `batchSize` rows from row
   * `offset`; the input buffer comes back as `spare` for reuse. A decoding error rejects with
   * the decoder's message as a plain Error; a dead thread with a DataLossError.
   */
  decode(file: Uint8Array, offset: number, batchSize: number): Promise<DecodedRowGroup> {
    this.warmUp();
    const count = this.workers.length;
    let chosen: DecodeWorker | undefined;
    // The least loaded ready worker, ties taken in turn, so that both decode even when each
    // request is answered before the next one comes.
    for (let i = 0; i < count; i++) {
      const worker = this.workers[(this.turn + i) % count]!;
      if (worker.ready && (chosen === undefined || worker.load < chosen.load)) chosen = worker;
    }
    chosen ??= this.workers[0]!;
    this.turn = (this.workers.indexOf(chosen) + 1) % count;
    return chosen.decode(file, offset, batchSize);
  }

  /** Stops the workers (tests use it to check that pending reads fail cleanly). */
  async stop(): Promise<void> {
    await Promise.all([...this.workers].map((worker) => worker.stop()));
  }
}

/** The process's decode threads. @internal */
export const parquetDecodeThread = new ParquetDecodeThread();
