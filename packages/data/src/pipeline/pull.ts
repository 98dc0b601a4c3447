import { END_OF_SEQUENCE, NOT_READY, type StageIterator, type StageState, type SyncPull } from './stage.js';

/** A shared `{ done: true }` so that ending a pass allocates nothing. */
export const DONE_RESULT: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/** `nextSync` of an upstream that may not have one (then: `NOT_READY`, ask `next()`). */
export function pullSync<T>(it: StageIterator<T>): SyncPull<T> {
  return it.nextSync === undefined ? NOT_READY : it.nextSync();
}

/**
 * Base of iterators whose work is synchronous once an input is available. Subclasses
 * implement `nextSync()` (returning `NOT_READY` when upstream must be awaited) and
 * `nextAsync()`, which is called after `nextSync()` returned `NOT_READY` and produces exactly
 * that element. `next()` combines the two.
 */
export abstract class PullIterator<T> implements StageIterator<T> {
  abstract nextSync(): SyncPull<T>;
  protected abstract nextAsync(): Promise<T | typeof END_OF_SEQUENCE>;
  abstract saveState(): StageState;
  abstract close(): Promise<void>;

  /** See `StageIterator.whenReady`; stages with one upstream forward to it. */
  whenReady(): Promise<void> | undefined {
    return undefined;
  }

  async next(): Promise<IteratorResult<T, undefined>> {
    let value = this.nextSync();
    if (value === NOT_READY) value = await this.nextAsync();
    return value === END_OF_SEQUENCE ? DONE_RESULT : { value, done: false };
  }
}

/** True for promises and other thenables (what an async map function returns). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
