import { InvalidArgumentError, OutOfRangeError } from '@tsflow/core';
import type { Observable, Subscription } from 'rxjs';
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

/**
 * What to do when the consumer falls more than `bufferSize` elements behind. Observables
 * can't be paused, so one of: fail the pass (`'error'`, default), drop the oldest buffered
 * element (`'dropOldest'`), or drop the incoming one (`'dropNewest'`).
 */
export type OverflowPolicy = 'error' | 'dropOldest' | 'dropNewest';

export interface FromObservableOptions {
  /** Most elements held between the observable and the consumer (default 1024). */
  bufferSize?: number;
  overflow?: OverflowPolicy;
}

/**
 * `Dataset.fromObservable(obs)`: subscribes once per pass (when the pass opens) and
 * unsubscribes when it ends or is closed. Elements wait in a bounded buffer; see
 * `OverflowPolicy` for what happens when it is full. Note that a synchronous observable
 * (e.g. `from(array)`) emits everything at subscription, so it needs a buffer that large.
 */
export class ObservableStage<T> implements Stage<T> {
  readonly upstream = [];
  readonly label: string;
  private readonly bufferSize: number;
  private readonly overflow: OverflowPolicy;

  constructor(
    private readonly observable: Observable<T>,
    options: FromObservableOptions = {},
  ) {
    if (observable === null || typeof observable !== 'object' || typeof observable.subscribe !== 'function') {
      throw new InvalidArgumentError('fromObservable: expected an rxjs Observable (an object with subscribe())');
    }
    this.bufferSize = options.bufferSize ?? 1024;
    this.overflow = options.overflow ?? 'error';
    if (!Number.isInteger(this.bufferSize) || this.bufferSize < 1) {
      throw new InvalidArgumentError(
        `fromObservable: bufferSize must be a positive integer, got ${options.bufferSize}`,
      );
    }
    if (!['error', 'dropOldest', 'dropNewest'].includes(this.overflow)) {
      throw new InvalidArgumentError(
        `fromObservable: overflow must be 'error', 'dropOldest' or 'dropNewest', got ${String(options.overflow)}`,
      );
    }
    this.label = `FromObservable(bufferSize=${this.bufferSize})`;
  }

  open(state?: StageState): StageIterator<T> {
    if (state !== undefined) throw unsaveableError(this, 'an observable cannot be replayed from a saved position');
    return new ObservableIterator(this, this.observable, this.bufferSize, this.overflow);
  }
}

class ObservableIterator<T> implements StageIterator<T> {
  /** Ring buffer of pending elements. */
  private readonly ring: (T | undefined)[];
  private head = 0;
  private count = 0;
  private completed = false;
  private failure: unknown;
  private wake: (() => void) | undefined;
  private subscription: Subscription | undefined;
  private closed = false;

  constructor(
    private readonly stage: Stage<T>,
    observable: Observable<T>,
    private readonly bufferSize: number,
    private readonly overflow: OverflowPolicy,
  ) {
    this.ring = new Array(bufferSize);
    this.subscription = observable.subscribe({
      next: (value) => this.push(value),
      error: (error: unknown) => {
        this.failure = error ?? new Error('observable errored without a reason');
        this.notify();
      },
      complete: () => {
        this.completed = true;
        this.notify();
      },
    });
    // A synchronous observable may already have failed or completed inside subscribe().
    if (this.failure !== undefined || this.completed) this.unsubscribe();
  }

  private push(value: T): void {
    if (this.closed || this.failure !== undefined) return;
    if (this.count === this.bufferSize) {
      if (this.overflow === 'dropNewest') return;
      if (this.overflow === 'dropOldest') {
        this.ring[this.head] = undefined;
        this.head = (this.head + 1) % this.bufferSize;
        this.count--;
      } else {
        this.failure = new OutOfRangeError(
          `the consumer fell more than bufferSize=${this.bufferSize} elements behind the observable; ` +
            "raise bufferSize, slow the source, or pass overflow: 'dropOldest' | 'dropNewest'",
        );
        this.unsubscribe();
        this.notify();
        return;
      }
    }
    this.ring[(this.head + this.count) % this.bufferSize] = value;
    this.count++;
    this.notify();
  }

  nextSync(): SyncPull<T> {
    // An overflow is reported at once; an observable error after the buffered elements.
    if (this.failure instanceof OutOfRangeError) throw stageFailure(this.stage, this.failure);
    if (this.count > 0) {
      const value = this.ring[this.head] as T;
      this.ring[this.head] = undefined;
      this.head = (this.head + 1) % this.bufferSize;
      this.count--;
      return value;
    }
    if (this.failure !== undefined) throw stageFailure(this.stage, this.failure);
    if (this.completed || this.closed) return END_OF_SEQUENCE;
    return NOT_READY;
  }

  async next(): Promise<IteratorResult<T, undefined>> {
    for (;;) {
      const value = this.nextSync();
      if (value === END_OF_SEQUENCE) return DONE_RESULT;
      if (value !== NOT_READY) return { value, done: false };
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private unsubscribe(): void {
    const subscription = this.subscription;
    this.subscription = undefined;
    subscription?.unsubscribe();
  }

  saveState(): StageState {
    throw unsaveableError(this.stage, 'an observable cannot be replayed from a saved position');
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    this.ring.fill(undefined);
    this.count = 0;
    this.notify();
  }
}
