/**
 * The pipeline protocol every Dataset stage implements. A Dataset wraps one Stage; building a
 * pipeline creates Stage objects only — nothing runs until `open()` is called by an iteration.
 */

/** JSON-serialisable position of one stage (and, nested, of its upstream stages). */
export type StageState = { readonly [key: string]: unknown };

/** Returned by `StageIterator.nextSync()` when the pass has ended. */
export const END_OF_SEQUENCE: unique symbol = Symbol('tsflow.endOfSequence');
/**
 * Returned by `StageIterator.nextSync()` when the next element needs an await (an async map
 * function, a file read, a worker): the caller then calls `next()` (or waits on
 * `whenReady()` and calls `nextSync()` again), which yields exactly that element — a
 * `NOT_READY` never skips one. It is not the end of the pass.
 */
export const NOT_READY: unique symbol = Symbol('tsflow.notReady');
/** What a synchronous pull returns: an element, the end, or "ask `next()`". */
export type SyncPull<T> = T | typeof END_OF_SEQUENCE | typeof NOT_READY;

/** One pass over a stage. */
export interface StageIterator<T> {
  /** Next element, or `{ done: true }` at the end. Errors name the failing stage. */
  next(): Promise<IteratorResult<T, undefined>>;
  /**
   * Optional synchronous fast path, so that chains of cheap stages (`range -> map -> batch`)
   * move elements without one Promise per element. Consumers call it while it returns
   * elements, and fall back to `await next()` on `NOT_READY` (or when it is absent). Stages
   * whose upstream has no `nextSync` may still implement it and return `NOT_READY` whenever
   * they would have to wait. Mixing `nextSync()` and `next()` on one iterator is allowed;
   * elements come out in the same order either way.
   */
  nextSync?(): SyncPull<T>;
  /**
   * Optional companion of `nextSync`: after it answered `NOT_READY`, a promise that settles
   * when calling `nextSync()` again can make progress (an async map result arrived, a
   * prefetch slot filled). Stages that run ahead in the background (prefetch, parallel map)
   * wait on it and then pull synchronously, so no element is ever "in transit" between two
   * stages while a state could be saved. Returns undefined when the stage can't tell (then
   * use `next()`).
   */
  whenReady?(): Promise<void> | undefined;
  /**
   * The position after the last element returned by `next()`, such that
   * `stage.open(state)` continues exactly there. Throws a named error for stages that can't
   * be saved (generators, observables). It may be called while a `next()` started by a
   * background stage is in flight; elements a stage holds but has not returned yet
   * (buffers, async results being awaited) are part of its state.
   */
  saveState(): StageState;
  /** Releases resources (file handles, workers, subscriptions) when a pass ends early. */
  close(): Promise<void>;
}

/**
 * A column of a columnar batch: numeric columns are NDArrays (`[n]`, or `[n, d]` for
 * fixed-size lists); other columns (strings, variable-length lists) are plain JS arrays.
 */
export type ColumnValue = import('@tsflow/core').NDArray | readonly unknown[];

/** A block of rows stored by column (what Arrow/Parquet sources produce). */
export interface ColumnarChunk {
  readonly numRows: number;
  readonly columns: Readonly<Record<string, ColumnValue>>;
}

export interface Stage<T> {
  /** This stage's part of `summary()`, e.g. `Range(0, 10)`, `Map`, `Batch(3)`. */
  readonly label: string;
  /** Input stages (empty for sources). */
  readonly upstream: readonly Stage<unknown>[];
  /** Starts a pass; `state` comes from a previous `saveState()` of the same pipeline. */
  open(state?: StageState): StageIterator<T>;
  /**
   * Optional columnar fast path: a pass yielding chunks of rows by column. Sources over
   * Arrow/Parquet implement it so that `batch(n)` slices columns instead of building row
   * objects. Row-level `open()` must yield the same rows, as `Record<string, unknown>`.
   * `saveState()` of a chunk iterator must be in the same format as `open()`'s so that row and
   * chunk passes can resume each other (its position counts rows).
   */
  openChunks?(state?: StageState): StageIterator<ColumnarChunk>;
}
