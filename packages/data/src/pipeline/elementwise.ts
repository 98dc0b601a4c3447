import { InvalidArgumentError } from '@tsflow/core';
import { END_OF_SEQUENCE, NOT_READY, type Stage, type StageIterator, type StageState, type SyncPull } from './stage.js';
import { PullIterator, isThenable } from './pull.js';
import { stageFailure } from './stage_errors.js';
import { SpinGuard } from './spin_guard.js';

/** Returned by `accept` to drop an element. */
export const SKIP: unique symbol = Symbol('tsflow.skip');

/**
 * Base of stages that turn each upstream element into at most one output (filter, skip,
 * shard, enumerate, scan, takeWhile, take): one loop for the sync and the async path, errors
 * tagged with the stage, state = own fields + upstream.
 */
export abstract class ElementwiseIterator<I, O> extends PullIterator<O> {
  private readonly spin = new SpinGuard();

  constructor(
    protected readonly stage: Stage<unknown>,
    protected readonly input: StageIterator<I>,
  ) {
    super();
  }

  /** What one upstream element becomes: an output, `SKIP`, or `END_OF_SEQUENCE` (stop now). */
  protected abstract accept(element: I): O | typeof SKIP | typeof END_OF_SEQUENCE;
  /** This stage's own part of the saved state. */
  protected abstract ownState(): StageState;
  /** False when the stage has ended without needing another upstream element. */
  protected canPull(): boolean {
    return true;
  }

  nextSync(): SyncPull<O> {
    const input = this.input;
    if (input.nextSync === undefined || this.spin.yieldPending) return NOT_READY;
    for (;;) {
      if (!this.canPull()) return END_OF_SEQUENCE;
      const element = input.nextSync();
      if (element === NOT_READY) return NOT_READY;
      if (element === END_OF_SEQUENCE) return END_OF_SEQUENCE;
      const output = this.safeAccept(element);
      if (output !== SKIP) {
        this.spin.produced();
        return output;
      }
      if (this.spin.consumedWithoutOutput()) return NOT_READY;
    }
  }

  protected async nextAsync(): Promise<O | typeof END_OF_SEQUENCE> {
    for (;;) {
      if (this.spin.yieldPending) await this.spin.yieldNow();
      if (!this.canPull()) return END_OF_SEQUENCE;
      const result = await this.input.next();
      if (result.done) return END_OF_SEQUENCE;
      const output = this.safeAccept(result.value);
      if (output !== SKIP) {
        this.spin.produced();
        return output;
      }
      this.spin.consumedWithoutOutput();
      const ready = this.nextSync();
      if (ready !== NOT_READY) return ready;
    }
  }

  private safeAccept(element: I): O | typeof SKIP | typeof END_OF_SEQUENCE {
    try {
      return this.accept(element);
    } catch (error) {
      throw stageFailure(this.stage, error);
    }
  }

  override whenReady(): Promise<void> | undefined {
    if (this.spin.yieldPending) return this.spin.yieldNow();
    return this.input.whenReady?.();
  }

  saveState(): StageState {
    return { ...this.ownState(), upstream: this.input.saveState() };
  }

  close(): Promise<void> {
    return this.input.close();
  }
}

/** Calls a user predicate, refusing promises (predicates run on the synchronous path). */
export function callPredicate<T>(predicate: (element: T) => unknown, element: T, what: string): boolean {
  const verdict = predicate(element);
  if (isThenable(verdict)) {
    throw new InvalidArgumentError(
      `${what}: the predicate returned a Promise; predicates must be synchronous (compute the flag with map first)`,
    );
  }
  return Boolean(verdict);
}
