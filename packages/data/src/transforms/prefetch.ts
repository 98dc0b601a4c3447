import { InvalidArgumentError } from '@tsflow/core';
import type { Stage, StageIterator, StageState } from '../pipeline/stage.js';
import { readUpstream } from '../pipeline/state_fields.js';
import { AheadIterator, readPending } from '../pipeline/ahead_iterator.js';

/** Prefetch depth used for `prefetch('auto')` / `prefetch(-1)` (tf.data's AUTOTUNE). */
const AUTO_PREFETCH = 4;

/** `prefetch(n)`: keeps up to `n` elements ready ahead of the consumer. */
export class PrefetchStage<T> implements Stage<T> {
  readonly upstream: readonly Stage<unknown>[];
  readonly label: string;
  private readonly bufferSize: number;

  constructor(
    private readonly input: Stage<T>,
    bufferSize: number | 'auto',
  ) {
    this.bufferSize = bufferSize === 'auto' || bufferSize === -1 ? AUTO_PREFETCH : bufferSize;
    if (!Number.isInteger(this.bufferSize) || this.bufferSize < 1) {
      throw new InvalidArgumentError(
        `prefetch: bufferSize must be a positive integer or 'auto', got ${String(bufferSize)}`,
      );
    }
    this.upstream = [input];
    this.label = `Prefetch(${this.bufferSize})`;
  }

  open(state?: StageState): StageIterator<T> {
    const input = this.input.open(state && readUpstream(state, 'upstream', this.label));
    return new AheadIterator(
      this,
      input,
      passThrough,
      this.bufferSize,
      true,
      undefined,
      readPending<T>(state, this.label),
    );
  }
}

function passThrough<T>(element: T): T {
  return element;
}
