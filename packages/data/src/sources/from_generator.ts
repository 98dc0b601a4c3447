import { InvalidArgumentError } from '@tsflow/core';
import {
  END_OF_SEQUENCE,
  NOT_READY,
  type Stage,
  type StageIterator,
  type StageState,
  type SyncPull,
} from '../pipeline/stage.js';
import { DONE_RESULT } from '../pipeline/pull.js';
import { stageFailure, unsaveableError } from '../pipeline/stage_errors.js';

export type GeneratorFn<T> = () => Iterable<T> | AsyncIterable<T>;

/**
 * `Dataset.fromGenerator(fn)`: `fn` is called once per pass and returns a sync or async
 * iterable. A sync iterable stays on the sync fast path. A generator's position can't be
 * saved (its closure state is invisible), so `saveState()` refuses with a clear error.
 */
export class GeneratorStage<T> implements Stage<T> {
  readonly upstream = [];
  readonly label: string;

  constructor(private readonly fn: GeneratorFn<T>) {
    this.label = `FromGenerator(${fn.name || 'anonymous'})`;
  }

  open(state?: StageState): StageIterator<T> {
    if (state !== undefined) throw unsaveableError(this, 'a generator cannot resume from a saved position');
    return new GeneratorIterator(this, this.fn);
  }
}

class GeneratorIterator<T> implements StageIterator<T> {
  private syncIterator: Iterator<T> | undefined;
  private asyncIterator: AsyncIterator<T> | undefined;
  private started = false;
  private finished = false;

  constructor(
    private readonly stage: Stage<T>,
    private readonly fn: GeneratorFn<T>,
  ) {}

  /** Calls `fn` on the first pull, so that opening a pass stays cheap and side-effect free. */
  private start(): void {
    this.started = true;
    let iterable: Iterable<T> | AsyncIterable<T>;
    try {
      iterable = this.fn();
      if (iterable !== null && typeof iterable === 'object' && Symbol.asyncIterator in iterable) {
        this.asyncIterator = iterable[Symbol.asyncIterator]();
      } else if (iterable !== null && typeof iterable === 'object' && Symbol.iterator in iterable) {
        this.syncIterator = (iterable as Iterable<T>)[Symbol.iterator]();
      } else {
        throw new InvalidArgumentError(
          `fromGenerator: the function must return an iterable or async iterable, got ${typeof iterable}`,
        );
      }
    } catch (error) {
      this.finished = true;
      throw stageFailure(this.stage, error);
    }
  }

  nextSync(): SyncPull<T> {
    if (this.finished) return END_OF_SEQUENCE;
    if (!this.started) this.start();
    if (this.syncIterator === undefined) return NOT_READY;
    let result: IteratorResult<T>;
    try {
      result = this.syncIterator.next();
    } catch (error) {
      this.finished = true;
      throw stageFailure(this.stage, error);
    }
    if (result.done) {
      this.finished = true;
      return END_OF_SEQUENCE;
    }
    return result.value;
  }

  async next(): Promise<IteratorResult<T, undefined>> {
    const value = this.nextSync();
    if (value === END_OF_SEQUENCE) return DONE_RESULT;
    if (value !== NOT_READY) return { value, done: false };
    try {
      const result = await this.asyncIterator!.next();
      if (!result.done) return { value: result.value, done: false };
    } catch (error) {
      this.finished = true;
      throw stageFailure(this.stage, error);
    }
    this.finished = true;
    return DONE_RESULT;
  }

  saveState(): StageState {
    throw unsaveableError(
      this.stage,
      'the position inside a generator function is not observable; use fromArray/range or a resumable source',
    );
  }

  async close(): Promise<void> {
    if (this.finished || !this.started) {
      this.finished = true;
      return;
    }
    this.finished = true;
    // Lets the generator run its `finally` blocks (release files, sockets).
    this.syncIterator?.return?.();
    await this.asyncIterator?.return?.();
  }
}
