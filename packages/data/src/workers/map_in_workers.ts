import { availableParallelism } from 'node:os';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidArgumentError } from '@tsflow/core';
import { Piscina } from 'piscina';
import type { Stage, StageIterator, StageState } from '../pipeline/stage.js';
import { readUpstream } from '../pipeline/state_fields.js';
import { AheadIterator, readPending } from '../pipeline/ahead_iterator.js';
import { deadlineError, resolveTimeout } from '../pipeline/element_timeout.js';
import { packForWorker, unpackFromWorker } from './transfer_codec.js';
import type { MapTask } from './map_worker.js';

export interface MapInWorkersOptions {
  /** Name of the module's export to call (default `'default'`). */
  exportName?: string;
  /** Worker threads (default: the number of cores). */
  workers?: number;
  /**
   * Move typed-array buffers to the worker instead of copying them (default true). Elements
   * sent to a worker are detached in this thread afterwards; pass false when something else
   * (e.g. a `cache()` upstream) keeps using them.
   */
  transfer?: boolean;
  /** Keep input order (default true). */
  ordered?: boolean;
  /** Heap limit per worker in MB; a worker that exceeds it fails the pass with an error. */
  maxWorkerHeapMb?: number;
  /**
   * Milliseconds one element may take in its worker. A worker still busy then (spinning, or
   * awaiting something that never settles) is terminated, and the pass fails with a
   * DeadlineExceededError naming the element. With a timeout, at most `workers` elements are
   * in flight, so the time counts from when a worker takes the element.
   */
  timeout?: number;
}

/**
 * The worker entry, always the built file (worker threads run JavaScript only): this path
 * names it both from dist/workers and, under vitest, from src/workers.
 */
const WORKER_ENTRY = new URL('../../dist/workers/map_worker.js', import.meta.url);

/** Turns a module path or URL into the URL string a worker can `import()`. */
function moduleUrlOf(module: string | URL): string {
  if (module instanceof URL) return module.href;
  if (typeof module !== 'string' || module === '') {
    throw new InvalidArgumentError(`mapInWorkers: expected a module path or URL, got ${typeof module}`);
  }
  return /^(file|data|node):/.test(module) ? module : pathToFileURL(resolve(module)).href;
}

/**
 * `mapInWorkers(module, options)`: runs a module's exported map function on a pool of worker
 * threads (piscina), so CPU-heavy maps use all cores. Functions can't be sent to workers, so
 * the function is named by module + export. The pool lives for one pass: it is created when
 * the pass opens and destroyed when it ends or is closed. A worker that throws, exits or runs
 * out of memory fails the pass with an error naming the module and export — never a hang.
 */
export class MapInWorkersStage<T, U> implements Stage<U> {
  readonly upstream: readonly Stage<unknown>[];
  readonly label: string;
  private readonly moduleUrl: string;
  private readonly exportName: string;
  private readonly workers: number;
  private readonly timeoutMs: number | undefined;

  constructor(
    private readonly input: Stage<T>,
    module: string | URL,
    private readonly options: MapInWorkersOptions = {},
  ) {
    this.moduleUrl = moduleUrlOf(module);
    this.exportName = options.exportName ?? 'default';
    this.workers = options.workers ?? availableParallelism();
    if (!Number.isInteger(this.workers) || this.workers < 1) {
      throw new InvalidArgumentError(`mapInWorkers: workers must be a positive integer, got ${options.workers}`);
    }
    this.timeoutMs = resolveTimeout(options.timeout, 'mapInWorkers');
    this.upstream = [input];
    // Worker count left out: it doesn't change the elements, so states resume across machines.
    this.label = `MapInWorkers(${basename(new URL(this.moduleUrl).pathname)}#${this.exportName})`;
  }

  open(state?: StageState): StageIterator<U> {
    const input = this.input.open(state && readUpstream(state, 'upstream', this.label));
    const pool = new Piscina({
      filename: WORKER_ENTRY.href,
      minThreads: this.workers,
      maxThreads: this.workers,
      concurrentTasksPerWorker: 1,
      idleTimeout: 60_000,
      ...(this.options.maxWorkerHeapMb === undefined
        ? {}
        : { resourceLimits: { maxOldGenerationSizeMb: this.options.maxWorkerHeapMb } }),
    });
    // Errors outside a task (a worker dying while idle) would otherwise be an unhandled 'error' event.
    pool.on('error', () => undefined);
    const transfer = this.options.transfer ?? true;
    const what = `${this.exportName} from ${this.moduleUrl}`;
    const timeoutMs = this.timeoutMs;
    const task: MapTask = { moduleUrl: this.moduleUrl, exportName: this.exportName, transfer };
    const warmedUp = timeoutMs === undefined ? undefined : this.warmUp(pool, task, timeoutMs);
    let started = 0;
    const runInWorker = async (element: T): Promise<U> => {
      const index = started++;
      const { packed, transferList } = packForWorker(element, transfer);
      let signal: AbortSignal | undefined;
      try {
        await warmedUp;
        // Aborting a running piscina task terminates its worker (a fresh one replaces it).
        signal = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
        const result: unknown = await pool.run(
          { ...task, element: packed } satisfies MapTask,
          signal === undefined ? { transferList } : { transferList, signal },
        );
        return unpackFromWorker(result) as U;
      } catch (error) {
        if (signal?.aborted) throw deadlineError(index, timeoutMs!, `; its worker (running ${what}) was terminated`);
        const message = error instanceof Error ? error.message : String(error);
        throw Object.assign(new Error(`worker running ${what} failed: ${message}`), { cause: error });
      }
    };
    const pending = readPending<T>(state, this.label);
    const inFlight = timeoutMs === undefined ? this.workers * 2 : this.workers;
    warmedUp?.catch(() => undefined); // reported by the first element that awaits it
    return new AheadIterator(
      this,
      input,
      runInWorker,
      inFlight,
      this.options.ordered ?? true,
      () => pool.destroy(),
      pending,
    );
  }

  /**
   * With a timeout: every worker loads the module first (bounded by the larger of the timeout
   * and 30 s), so an element's time counts its own work, not the worker's start-up.
   */
  private async warmUp(pool: Piscina, task: MapTask, timeoutMs: number): Promise<void> {
    const signal = AbortSignal.timeout(Math.max(timeoutMs, 30_000));
    try {
      await Promise.all(
        Array.from({ length: this.workers }, () => pool.run({ ...task, warmUp: true } satisfies MapTask, { signal })),
      );
    } catch (error) {
      if (signal.aborted)
        throw new Error(`loading the module in the workers did not finish within ${Math.max(timeoutMs, 30_000)} ms`);
      throw error;
    }
  }
}
