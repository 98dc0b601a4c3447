import { InvalidArgumentError } from '@tsflow/core';
import { END_OF_SEQUENCE, NOT_READY, type Stage, type StageIterator, type StageState } from './stage.js';
import { DONE_RESULT } from './pull.js';
import { describePipeline, toConsumerError } from './stage_errors.js';

/** What `saveState()` returns: JSON-serialisable, tagged with the pipeline it belongs to. */
export interface IteratorState {
  readonly format: 'tsflow.dataset.iterator/1';
  readonly pipeline: string;
  readonly position: StageState;
}

/**
 * One pass over a Dataset: an async iterator with `saveState()`. Errors from stages are
 * rethrown naming the stage and its place in the pipeline; the pass releases its resources
 * when it ends, fails, or is closed / broken out of.
 */
export class DatasetIterator<T> implements AsyncIterableIterator<T> {
  private readonly inner: StageIterator<T>;
  private finished = false;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly root: Stage<T>,
    state?: IteratorState,
  ) {
    try {
      this.inner = root.open(state === undefined ? undefined : checkState(state, root));
    } catch (error) {
      // Opening can run stage code too (interleave reopens inner datasets when resuming).
      throw toConsumerError(error, root);
    }
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /**
   * The next element synchronously when the pipeline can produce it without waiting, else
   * `NOT_READY` (then call `next()`), or `END_OF_SEQUENCE`. Used by `toArray`, `forEach`, ...
   */
  nextSync(): T | typeof END_OF_SEQUENCE | typeof NOT_READY {
    if (this.finished) return END_OF_SEQUENCE;
    if (this.inner.nextSync === undefined) return NOT_READY;
    try {
      const value = this.inner.nextSync();
      if (value === END_OF_SEQUENCE) this.finish();
      return value;
    } catch (error) {
      this.finish();
      throw toConsumerError(error, this.root);
    }
  }

  async next(): Promise<IteratorResult<T, undefined>> {
    if (this.finished) return DONE_RESULT;
    // Synchronous pipelines answer without the inner async machinery (one Promise, not three).
    const ready = this.nextSync();
    if (ready === END_OF_SEQUENCE) {
      await this.close();
      return DONE_RESULT;
    }
    if (ready !== NOT_READY) return { value: ready, done: false };
    try {
      const result = await this.inner.next();
      if (result.done) await this.close();
      return result;
    } catch (error) {
      await this.close().catch(() => undefined);
      throw toConsumerError(error, this.root);
    }
  }

  /** `await using it = ds.iterator()` closes the pass at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Called by `for await` on `break`/`throw`: ends the pass early. */
  async return(): Promise<IteratorResult<T, undefined>> {
    await this.close();
    return DONE_RESULT;
  }

  /** The position after the last element returned; pass it to `ds.iterator({ state })`. */
  saveState(): IteratorState {
    return {
      format: 'tsflow.dataset.iterator/1',
      pipeline: describePipeline(this.root),
      position: this.inner.saveState(),
    };
  }

  /** Releases workers, file handles and subscriptions held by the pass. */
  close(): Promise<void> {
    this.finished = true;
    this.closing ??= this.inner.close();
    return this.closing;
  }

  private finish(): void {
    if (!this.finished) void this.close().catch(() => undefined);
  }
}

function checkState(state: IteratorState, root: Stage<unknown>): StageState {
  if (state === null || typeof state !== 'object' || state.format !== 'tsflow.dataset.iterator/1') {
    throw new InvalidArgumentError(
      `iterator({ state }): expected a state from saveState() (format 'tsflow.dataset.iterator/1'), got ${JSON.stringify(state)?.slice(0, 80)}`,
    );
  }
  const pipeline = describePipeline(root);
  if (state.pipeline !== pipeline) {
    throw new InvalidArgumentError(
      `iterator({ state }): the state was saved from pipeline '${state.pipeline}' but this dataset is '${pipeline}'`,
    );
  }
  return state.position;
}
