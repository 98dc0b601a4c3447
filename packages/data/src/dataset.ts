import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from '@tsflow/core';
import { DatasetIterator, type IteratorState } from './pipeline/dataset_iterator.js';
import { END_OF_SEQUENCE, NOT_READY, type Stage } from './pipeline/stage.js';
import { describePipeline } from './pipeline/stage_errors.js';
import { optionsObject } from './pipeline/options_object.js';
import { isThenable } from './pipeline/pull.js';
import { ArrayStage } from './sources/from_array.js';
import { GeneratorStage, type GeneratorFn } from './sources/from_generator.js';
import { ObservableStage, type FromObservableOptions } from './sources/from_observable.js';
import { iteratorObservable } from './pipeline/to_observable.js';
import type { Observable } from 'rxjs';
import { tensorSlicesStage } from './sources/from_tensor_slices.js';
import { RangeStage } from './sources/range.js';
import { ZipStage } from './sources/zip.js';
import { BatchStage, type BatchOptions } from './transforms/batch.js';
import { CacheStage } from './transforms/cache.js';
import { ConcatenateStage } from './transforms/concatenate.js';
import { EnumerateStage } from './transforms/enumerate.js';
import { ScanStage, type ScanFn } from './transforms/scan.js';
import { FilterStage, type Predicate } from './transforms/filter.js';
import { flatMapStage } from './transforms/flat_map.js';
import { TakeWhileStage } from './transforms/take_while.js';
import { InterleaveStage, type InterleaveOptions } from './transforms/interleave.js';
import { MapStage, type MapFn } from './transforms/map.js';
import { paddedBatchStage, type PaddedBatchOptions } from './transforms/padded_batch.js';
import { ParallelMapStage, resolveParallelism, type MapOptions } from './transforms/parallel_map.js';
import { PrefetchStage } from './transforms/prefetch.js';
import { resolveTimeout } from './pipeline/element_timeout.js';
import { RepeatStage } from './transforms/repeat.js';
import { ShuffleStage, type ShuffleOptions } from './transforms/shuffle.js';
import { TakeStage } from './transforms/take.js';
import { SkipStage } from './transforms/skip.js';
import { ShardStage } from './transforms/shard.js';
import { UnbatchStage } from './transforms/unbatch.js';
import { WindowStage, type WindowOptions } from './transforms/window.js';
import { MapInWorkersStage, type MapInWorkersOptions } from './workers/map_in_workers.js';
import { ArrowSource, type ArrowSourceInput, type ArrowSourceOptions } from './io/arrow_source.js';
import { ParquetSource, type ParquetSourceOptions } from './io/parquet_source.js';
import { writeStageToArrow, writeStageToParquet } from './io/sinks.js';
import { passProgress } from './io/pipeline_source.js';
import type { JobProgressOptions } from './io/writers/sink_progress.js';
import type { WriteArrowOptions } from './io/writers/arrow_writer.js';
import type { WriteParquetOptions, WriteResult } from './io/writers/parquet_writer.js';

export interface IteratorOptions {
  /** A state from `it.saveState()`: the pass continues exactly there. */
  state?: IteratorState;
}

/**
 * A lazy, re-iterable sequence of elements with tf.data semantics. Building a pipeline runs
 * nothing; every `for await` (or `iterator()`) starts a fresh pass.
 *
 * @example
 * const ds = Dataset.range(10).map((x) => x * 2).batch(3);
 * for await (const batch of ds) console.log(batch.toArray());
 */
export class Dataset<T> implements AsyncIterable<T> {
  private constructor(
    /** @internal */
    readonly stage: Stage<T>,
  ) {}

  /**
   * Wraps a Stage (the pipeline protocol in `pipeline/stage.ts`) as a Dataset.
   * @internal for sources in this package (Arrow, Parquet).
   */
  static fromStage<T>(stage: Stage<T>): Dataset<T> {
    return new Dataset(stage);
  }

  // ---------------------------------------------------------------- sources

  /** `range(stop)` or `range(start, stop, step = 1)`: numbers like Python's range. */
  static range(stop: number): Dataset<number>;
  static range(start: number, stop: number, step?: number): Dataset<number>;
  static range(startOrStop: number, stop?: number, step = 1): Dataset<number> {
    return stop === undefined
      ? new Dataset(new RangeStage(0, startOrStop, 1))
      : new Dataset(new RangeStage(startOrStop, stop, step));
  }

  /** The items of an array, in order. */
  static fromArray<T>(items: readonly T[]): Dataset<T> {
    if (!Array.isArray(items)) throw new InvalidArgumentError(`fromArray: expected an array, got ${typeof items}`);
    return new Dataset(new ArrayStage(items));
  }

  /**
   * Slices `value` along its first dimension: an NDArray gives its rows, an object of
   * NDArrays/arrays gives objects, an array of NDArrays gives tuples.
   * @example Dataset.fromTensorSlices({ x: features, y: labels }).batch(32)
   */
  static fromTensorSlices<T = unknown>(value: unknown): Dataset<T> {
    return new Dataset(tensorSlicesStage(value) as Stage<T>);
  }

  /** `fn` returns a sync or async iterable; it is called once per pass. Not resumable. */
  static fromGenerator<T>(fn: GeneratorFn<T>): Dataset<T> {
    requireFunction(fn, 'fromGenerator');
    return new Dataset(new GeneratorStage(fn));
  }

  /**
   * Elements emitted by an rxjs Observable, subscribed once per pass, through a bounded
   * buffer (default 1024; overflow: `'error'` (default), `'dropOldest'`, `'dropNewest'`).
   * Not resumable.
   */
  static fromObservable<T>(observable: Observable<T>, given: FromObservableOptions = {}): Dataset<T> {
    const options = optionsObject(given, 'fromObservable', '{ bufferSize: 100 }');
    return new Dataset(new ObservableStage(observable, options));
  }

  /**
   * Rows (objects keyed by column) of an apache-arrow `Table`, RecordBatches (an array, an
   * iterable, or a function returning one per pass), or an Arrow IPC file/stream path (read
   * batch by batch). `batch(n)` slices its columns into NDArrays without row objects. The row
   * type is yours to state (`fromArrow<{ pixels: NDArray; label: number }>(...)`): it flows into
   * `batch` (`{ pixels: NDArray; label: NDArray }`) and `map` without casts.
   * @example Dataset.fromArrow('digits.arrow').batch(64) // { pixels: [64, 64], label: [64] }
   */
  static fromArrow<Row extends object = Record<string, unknown>>(
    source: ArrowSourceInput,
    given: ArrowSourceOptions = {},
  ): Dataset<Row> {
    const options = optionsObject(given, 'fromArrow', "{ columns: ['x'] }");
    return new Dataset(new ArrowSource(source, options) as Stage<unknown> as Stage<Row>);
  }

  /**
   * Rows of Parquet files (a path, a glob or a list, read in order, one row group at a time;
   * `columns` reads only those column chunks). Nulls, engines and types: packages/data/README.md.
   * The row type is yours to state (`fromParquet<{ x: number; label: number }>(...)`): it flows
   * into `batch` (`{ x: NDArray; label: NDArray }`) and `map` without casts.
   * @example Dataset.fromParquet<{ x: number; y: number }>('data/*.parquet', { columns: ['x', 'y'] }).batch(1024)
   */
  static fromParquet<Row extends object = Record<string, unknown>>(
    pathOrPaths: string | readonly string[],
    given: ParquetSourceOptions = {},
  ): Dataset<Row> {
    const options = optionsObject(given, 'fromParquet', "{ columns: ['x'] }");
    return new Dataset(new ParquetSource(pathOrPaths, options) as Stage<unknown> as Stage<Row>);
  }

  /** Elements of several datasets in lockstep (an array or an object of them); stops at the shortest. */
  static zip<const D extends readonly Dataset<unknown>[]>(
    datasets: D,
  ): Dataset<{ -readonly [K in keyof D]: ElementOf<D[K]> }>;
  static zip<D extends Record<string, Dataset<unknown>>>(datasets: D): Dataset<{ [K in keyof D]: ElementOf<D[K]> }>;
  static zip(datasets: readonly Dataset<unknown>[] | Record<string, Dataset<unknown>>): Dataset<unknown> {
    if (Array.isArray(datasets))
      return new Dataset(
        new ZipStage(
          datasets.map((ds) => stageOf(ds, 'zip')),
          undefined,
        ),
      );
    if (datasets === null || typeof datasets !== 'object')
      throw new InvalidArgumentError('zip: expected an array or object of datasets');
    const keys = Object.keys(datasets);
    return new Dataset(
      new ZipStage(
        keys.map((key) => stageOf((datasets as Record<string, Dataset<unknown>>)[key], `zip field '${key}'`)),
        keys,
      ),
    );
  }

  // -------------------------------------------------------- transformations

  /**
   * Applies `fn` to every element. `fn` may be async; with `parallelism > 1` (or `'auto'`) that
   * many calls run at once, results in input order unless `ordered: false`. CPU-bound work
   * belongs in `mapInWorkers`.
   */
  map<U>(fn: MapFn<T, U>, given: MapOptions = {}): Dataset<U> {
    const options = optionsObject(given, 'map', '{ parallelism: 4 }');
    requireFunction(fn, 'map');
    const parallelism = resolveParallelism(options.parallelism, 'map');
    const ordered = options.ordered ?? true;
    const timeout = resolveTimeout(options.timeout, 'map');
    if (parallelism === 1 && ordered) return new Dataset(new MapStage(this.stage, fn, 'Map', timeout));
    return new Dataset(new ParallelMapStage(this.stage, fn, parallelism, ordered, timeout));
  }

  /**
   * Maps every element with a function exported by a module, on a pool of worker threads
   * (for CPU-heavy maps). NDArrays and typed arrays are moved to and from the workers, not
   * copied. The pool lives for one pass.
   * @example ds.mapInWorkers(new URL('./augment.mjs', import.meta.url), { exportName: 'augment', workers: 4 })
   */
  mapInWorkers<U = unknown>(module: string | URL, given: MapInWorkersOptions = {}): Dataset<U> {
    const options = optionsObject(given, 'mapInWorkers', '{ workers: 4 }');
    return new Dataset(new MapInWorkersStage<T, U>(this.stage, module, options));
  }

  /** Keeps the elements for which `predicate` is truthy (synchronous predicates). */
  filter(predicate: Predicate<T>): Dataset<T> {
    requireFunction(predicate, 'filter');
    return new Dataset(new FilterStage(this.stage, predicate));
  }

  /** Stacks `batchSize` consecutive elements (numbers -> `[n]`, NDArrays -> `[n, ...shape]`, objects by field). */
  batch(batchSize: number, given: BatchOptions = {}): Dataset<Batched<T>> {
    const options = optionsObject(given, 'batch', '{ dropRemainder: true }');
    return new Dataset(new BatchStage(this.stage, batchSize, options) as Stage<Batched<T>>);
  }

  /** Batches ragged elements, padding every dimension to the longest in the batch. */
  paddedBatch(batchSize: number, given: PaddedBatchOptions = {}): Dataset<Batched<T>> {
    const options = optionsObject(given, 'paddedBatch', '{ paddingValue: 0 }');
    return new Dataset(paddedBatchStage(this.stage, batchSize, options) as Stage<Batched<T>>);
  }

  /** Splits each element along its first dimension (the inverse of `batch`). */
  unbatch<U = unknown>(): Dataset<U> {
    return new Dataset(new UnbatchStage(this.stage) as Stage<U>);
  }

  /** Buffered random shuffle (tf.data semantics); reproducible with a seed. */
  shuffle(bufferSize: number, given: ShuffleOptions = {}): Dataset<T> {
    const options = optionsObject(given, 'shuffle', '{ seed: 42 }');
    return new Dataset(new ShuffleStage(this.stage, bufferSize, options));
  }

  /** Repeats the dataset `count` times (forever when omitted or negative). */
  repeat(count?: number): Dataset<T> {
    return new Dataset(new RepeatStage(this.stage, count));
  }

  /** The first `count` elements (all when negative). */
  take(count: number): Dataset<T> {
    return new Dataset(new TakeStage(this.stage, count));
  }

  /** All but the first `count` elements (none when negative). */
  skip(count: number): Dataset<T> {
    return new Dataset(new SkipStage(this.stage, count));
  }

  /** Every `numShards`-th element starting at `index` (for splitting work between workers). */
  shard(numShards: number, index: number): Dataset<T> {
    return new Dataset(new ShardStage(this.stage, numShards, index));
  }

  /** Keeps up to `bufferSize` elements ready ahead of the consumer (`'auto'` or -1: a small default). */
  prefetch(bufferSize: number | 'auto'): Dataset<T> {
    return new Dataset(new PrefetchStage(this.stage, bufferSize));
  }

  /** Elements up to (excluding) the first for which `predicate` is falsy. */
  takeWhile(predicate: Predicate<T>): Dataset<T> {
    requireFunction(predicate, 'takeWhile');
    return new Dataset(new TakeWhileStage(this.stage, predicate));
  }

  /** Pairs `[index, element]`, counting from `start`. */
  enumerate(start = 0): Dataset<[number, T]> {
    return new Dataset(new EnumerateStage(this.stage, start));
  }

  /**
   * Threads a state through the elements. `fn` returns `[newState, output]` (tf.data), or a
   * single value that is both (a running accumulation).
   * @example Dataset.range(10).scan(0, (sum, x) => sum + x) // 0, 1, 3, ..., 45
   */
  scan<S, U = S>(initial: S, fn: ScanFn<S, T, U>): Dataset<U> {
    requireFunction(fn, 'scan');
    return new Dataset(new ScanStage(this.stage, initial, fn));
  }

  /**
   * Records the first complete pass (in memory, or to a file at `path`) and replays it on
   * later passes without running the upstream.
   */
  cache(path?: string): Dataset<T> {
    return new Dataset(new CacheStage(this.stage, path));
  }

  /** All elements of this dataset, then all of `other`. */
  concatenate<U>(other: Dataset<U>): Dataset<T | U> {
    return new Dataset(new ConcatenateStage<T | U>(this.stage, stageOf(other, 'concatenate') as Stage<T | U>));
  }

  /**
   * Maps each element to a dataset and interleaves them in tf.data's order: `cycleLength`
   * open at once (default: number of cores), `blockLength` elements (default 1) from each in
   * turn.
   */
  interleave<U>(fn: (element: T) => Dataset<U>, given: InterleaveOptions = {}): Dataset<U> {
    const options = optionsObject(given, 'interleave', '{ cycleLength: 2 }');
    requireFunction(fn, 'interleave');
    const makeInner = (element: T): Stage<U> => stageOf(fn(element), 'interleave function result') as Stage<U>;
    return new Dataset(
      new InterleaveStage(this.stage, makeInner, {
        cycleLength: options.cycleLength ?? availableParallelism(),
        blockLength: options.blockLength ?? 1,
        parallelism: resolveParallelism(options.parallelism, 'interleave'),
      }),
    );
  }

  /** Maps each element to a dataset and concatenates them. */
  flatMap<U>(fn: (element: T) => Dataset<U>): Dataset<U> {
    requireFunction(fn, 'flatMap');
    const makeInner = (element: T): Stage<U> => stageOf(fn(element), 'flatMap function result') as Stage<U>;
    return new Dataset(flatMapStage(this.stage, makeInner));
  }

  /**
   * Sliding windows, each a small Dataset: window k holds elements `k*shift + j*stride`
   * (j < size). Use `flatMap((w) => w.batch(size))` to turn them into batches.
   */
  window(size: number, given: WindowOptions = {}): Dataset<Dataset<T>> {
    const options = optionsObject(given, 'window', '{ shift: 1 }');
    return new Dataset(new WindowStage(this.stage, size, options, (window) => new Dataset(window)));
  }

  /**
   * Applies a reusable transformation (tf.data's `apply`).
   * @example const augment = (ds: Dataset<Row>) => ds.map(flip).shuffle(256); ds.apply(augment).batch(32)
   */
  apply<U>(transformation: (dataset: Dataset<T>) => Dataset<U>): Dataset<U> {
    requireFunction(transformation, 'apply');
    const result = transformation(this);
    if (!(result instanceof Dataset))
      throw new InvalidArgumentError(`apply: the transformation must return a Dataset, got ${typeof result}`);
    return result;
  }

  // ------------------------------------------------------------ consumption

  /** A fresh pass; with `{ state }`, continues where a saved iterator was. */
  iterator(given: IteratorOptions = {}): DatasetIterator<T> {
    const options = optionsObject(given, 'iterator', '{ state }');
    return new DatasetIterator(this.stage, options.state);
  }

  [Symbol.asyncIterator](): DatasetIterator<T> {
    return this.iterator();
  }

  /**
   * Calls `fn` on every element of one pass (awaiting it when it returns a promise). With
   * `{ progress: 'auto' }`, shows elements, elements/s and an ETA (when the source's footers
   * give the total) on stderr, like the sinks.
   */
  forEach(fn: (element: T) => void | PromiseLike<void>, options: JobProgressOptions = {}): Promise<void> {
    return this.forEachLabelled('forEach', fn, options);
  }

  private async forEachLabelled(
    label: string,
    fn: (element: T) => void | PromiseLike<void>,
    given: JobProgressOptions,
  ): Promise<void> {
    const options = optionsObject(given, label, "{ progress: 'auto' }");
    const progress = await passProgress(label, this.stage, options);
    const it = this.iterator();
    let seen = 0;
    try {
      for (;;) {
        let value = it.nextSync();
        if (value === NOT_READY) {
          const result = await it.next();
          value = result.done ? END_OF_SEQUENCE : result.value;
        }
        if (value === END_OF_SEQUENCE) return;
        const done = fn(value);
        if (done !== undefined) await done;
        progress.update(++seen);
      }
    } finally {
      progress.stop();
      await it.close();
    }
  }

  /** All elements of one pass. */
  async toArray(): Promise<T[]> {
    const out: T[] = [];
    await this.forEach((element) => {
      out.push(element);
    });
    return out;
  }

  /** Folds the elements of one pass (`fn` may be async). */
  async reduce<A>(initial: A, fn: (accumulator: A, element: T) => A | PromiseLike<A>): Promise<A> {
    let accumulator = initial;
    // biome-ignore lint/suspicious/useIterableCallbackReturn: Dataset.forEach awaits a promise its callback returns
    await this.forEach((element) => {
      const next = fn(accumulator, element);
      if (isThenable(next)) {
        return Promise.resolve(next as PromiseLike<A>).then((value) => {
          accumulator = value;
        });
      }
      accumulator = next as A;
      return undefined;
    });
    return accumulator;
  }

  /** Number of elements of one pass (`{ progress }` as for `forEach`). */
  async count(options: JobProgressOptions = {}): Promise<number> {
    let n = 0;
    await this.forEachLabelled(
      'count',
      () => {
        n++;
      },
      options,
    );
    return n;
  }

  /** An rxjs Observable running one pass per subscription; unsubscribing stops the pass. */
  toObservable(): Observable<T> {
    return iteratorObservable(() => this.iterator());
  }

  /**
   * Streams the elements (rows, or batches from `batch(n)`) into a Parquet file with bounded
   * memory (at most `rowGroupSize` rows buffered), all or nothing (see `writeAtomically`).
   * @example await ds.writeParquet('out.parquet', { compression: 'zstd', rowGroupSize: 100_000 })
   */
  async writeParquet(path: string, given: WriteParquetOptions = {}): Promise<WriteResult> {
    const options = optionsObject(given, 'writeParquet', "{ compression: 'zstd' }");
    return writeStageToParquet(this.stage, path, options);
  }

  /** Streams the elements into an Arrow IPC file (`{ format: 'stream' }` for a stream), all or nothing (see `writeAtomically`). */
  async writeArrow(path: string, given: WriteArrowOptions = {}): Promise<WriteResult> {
    const options = optionsObject(given, 'writeArrow', "{ format: 'stream' }");
    return writeStageToArrow(this.stage, path, options);
  }

  /** The pipeline as text, e.g. `Range(0, 10) -> Map -> Batch(3)`. */
  summary(): string {
    return describePipeline(this.stage);
  }

  toString(): string {
    return `Dataset(${this.summary()})`;
  }
}

/** Plain (non-tuple) arrays of numbers or booleans, nested: batched as one value (see README). */
type ValueArray = readonly (number | boolean | ValueArray)[];

/**
 * What `batch` turns an element type into (loosely: stacked NDArrays, arrays, objects). Array
 * types stack to one NDArray when they hold numbers / booleans; tuple types (zip, enumerate)
 * are batched position by position.
 */
export type Batched<T> = T extends number | boolean
  ? import('@tsflow/core').NDArray
  : T extends string
    ? string[]
    : T extends import('@tsflow/core').NDArray
      ? import('@tsflow/core').NDArray
      : T extends readonly unknown[]
        ? number extends T['length']
          ? T extends ValueArray
            ? import('@tsflow/core').NDArray
            : { [K in keyof T]: Batched<T[K]> }
          : { [K in keyof T]: Batched<T[K]> }
        : T extends object
          ? { [K in keyof T]: Batched<T[K]> }
          : unknown;

/** The element type of a Dataset. */
export type ElementOf<D> = D extends Dataset<infer T> ? T : never;

function stageOf(value: unknown, what: string): Stage<unknown> {
  if (!(value instanceof Dataset)) throw new InvalidArgumentError(`${what}: expected a Dataset, got ${typeof value}`);
  return value.stage;
}

function requireFunction(fn: unknown, what: string): void {
  if (typeof fn !== 'function') throw new InvalidArgumentError(`${what}: expected a function, got ${typeof fn}`);
}
