import { InvalidArgumentError } from '@tsflow/core';
import { DatasetIterator, type IteratorState } from './pipeline/dataset_iterator.js';
import { END_OF_SEQUENCE, NOT_READY, type Stage } from './pipeline/stage.js';
import { describePipeline } from './pipeline/stage_errors.js';
import { ArrayStage } from './sources/from_array.js';
import { RangeStage } from './sources/range.js';
import { BatchStage, type BatchOptions } from './transforms/batch.js';
import { MapStage, type MapFn } from './transforms/map.js';

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
    return stop === undefined ? new Dataset(new RangeStage(0, startOrStop, 1)) : new Dataset(new RangeStage(startOrStop, stop, step));
  }

  /** The items of an array, in order. */
  static fromArray<T>(items: readonly T[]): Dataset<T> {
    if (!Array.isArray(items)) throw new InvalidArgumentError(`fromArray: expected an array, got ${typeof items}`);
    return new Dataset(new ArrayStage(items));
  }

  // -------------------------------------------------------- transformations

  /** Applies `fn` to every element (sync or async). */
  map<U>(fn: MapFn<T, U>): Dataset<U> {
    requireFunction(fn, 'map');
    return new Dataset(new MapStage(this.stage, fn));
  }

  /** Stacks `batchSize` consecutive elements (numbers -> `[n]`, NDArrays -> `[n, ...shape]`, objects by field). */
  batch(batchSize: number, options: BatchOptions = {}): Dataset<Batched<T>> {
    return new Dataset(new BatchStage(this.stage, batchSize, options) as Stage<Batched<T>>);
  }

  // ------------------------------------------------------------ consumption

  /** A fresh pass; with `{ state }`, continues where a saved iterator was. */
  iterator(options: IteratorOptions = {}): DatasetIterator<T> {
    return new DatasetIterator(this.stage, options.state);
  }

  [Symbol.asyncIterator](): DatasetIterator<T> {
    return this.iterator();
  }

  /** Calls `fn` on every element of one pass (awaiting it when it returns a promise). */
  async forEach(fn: (element: T) => void | PromiseLike<void>): Promise<void> {
    const it = this.iterator();
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
      }
    } finally {
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

  /** Folds the elements of one pass. */
  async reduce<A>(initial: A, fn: (accumulator: A, element: T) => A): Promise<A> {
    let accumulator = initial;
    await this.forEach((element) => {
      accumulator = fn(accumulator, element);
    });
    return accumulator;
  }

  /** Number of elements of one pass. */
  async count(): Promise<number> {
    let n = 0;
    await this.forEach(() => {
      n++;
    });
    return n;
  }

  /** The pipeline as text, e.g. `Range(0, 10) -> Map -> Batch(3)`. */
  summary(): string {
    return describePipeline(this.stage);
  }

  toString(): string {
    return `Dataset(${this.summary()})`;
  }
}

/** What `batch` turns an element type into (loosely: stacked NDArrays, arrays, objects). */
export type Batched<T> = T extends number | boolean
  ? import('@tsflow/core').NDArray
  : T extends string
    ? string[]
    : T extends import('@tsflow/core').NDArray
      ? import('@tsflow/core').NDArray
      : T extends readonly unknown[]
        ? { [K in keyof T]: Batched<T[K]> }
        : T extends object
          ? { [K in keyof T]: Batched<T[K]> }
          : unknown;

function requireFunction(fn: unknown, what: string): void {
  if (typeof fn !== 'function') throw new InvalidArgumentError(`${what}: expected a function, got ${typeof fn}`);
}
