import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from '@tsflow/core';
import type { Stage, StageIterator, StageState } from '../pipeline/stage.js';
import { readUpstream } from '../pipeline/state_fields.js';
import { AheadIterator, readPending } from '../pipeline/ahead_iterator.js';
import type { MapFn } from './map.js';
import { withElementTimeout } from '../pipeline/element_timeout.js';

export interface MapOptions {
  /** How many calls of an async `fn` may run at once (`'auto'`: the number of cores). Default 1. */
  parallelism?: number | 'auto';
  /** Keep input order (default true); false delivers results as they finish. */
  ordered?: boolean;
  /**
   * Milliseconds an async `fn` may take per element; a call still pending then fails the pass
   * with a DeadlineExceededError naming the element. (A synchronous `fn` can't be interrupted;
   * put work that may spin in `mapInWorkers`, whose `timeout` terminates the worker.)
   */
  timeout?: number;
}

/** Resolves `parallelism` to a positive integer, with an error naming the stage. */
export function resolveParallelism(value: number | 'auto' | undefined, what: string): number {
  if (value === undefined) return 1;
  // -1 is tf.data's AUTOTUNE.
  if (value === 'auto' || value === -1) return Math.max(2, availableParallelism());
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(`${what}: parallelism must be a positive integer or 'auto', got ${String(value)}`);
  }
  return value;
}

/**
 * `map(fn, { parallelism > 1 })`: up to `parallelism` calls of `fn` in flight, results in
 * input order unless `ordered: false`. For CPU-bound work use `mapInWorkers`: JS functions
 * share one thread, so this helps only when `fn` awaits I/O or other async work.
 */
export class ParallelMapStage<T, U> implements Stage<U> {
  readonly upstream: readonly Stage<unknown>[];
  readonly label: string;

  constructor(
    private readonly input: Stage<T>,
    private readonly fn: MapFn<T, U>,
    private readonly parallelism: number,
    private readonly ordered: boolean,
    private readonly timeoutMs?: number,
  ) {
    this.upstream = [input];
    // The degree of parallelism is left out on purpose: it doesn't change the elements, so a
    // state saved with one setting resumes under another (e.g. on a bigger machine).
    this.label = ordered ? 'ParallelMap' : 'ParallelMap(unordered)';
  }

  open(state?: StageState): StageIterator<U> {
    const input = this.input.open(state && readUpstream(state, 'upstream', this.label));
    const start = withElementTimeout(this.fn, this.timeoutMs);
    return new AheadIterator(
      this,
      input,
      start,
      this.parallelism,
      this.ordered,
      undefined,
      readPending<T>(state, this.label),
    );
  }
}
