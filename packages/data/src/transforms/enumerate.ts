import { InvalidArgumentError } from '@tsflow/core';
import type { Stage, StageIterator, StageState } from '../pipeline/stage.js';
import { ElementwiseIterator } from '../pipeline/elementwise.js';
import { badState, readUpstream } from '../pipeline/state_fields.js';
import { markTuple } from '../pipeline/value_arrays.js';

/** `enumerate(start)`: pairs `[index, element]`, index counting from `start`. */
export class EnumerateStage<T> implements Stage<[number, T]> {
  readonly upstream: readonly Stage<unknown>[];
  readonly label: string;

  constructor(
    private readonly input: Stage<T>,
    private readonly start: number,
  ) {
    if (!Number.isFinite(start))
      throw new InvalidArgumentError(`enumerate: start must be a finite number, got ${start}`);
    this.upstream = [input];
    this.label = start === 0 ? 'Enumerate' : `Enumerate(${start})`;
  }

  open(state?: StageState): StageIterator<[number, T]> {
    let next = this.start;
    if (state !== undefined) {
      if (typeof state.next !== 'number')
        throw badState(this.label, `field 'next' should be a number, got ${JSON.stringify(state.next)}`);
      next = state.next;
    }
    return new EnumerateIterator(this, this.input.open(state && readUpstream(state, 'upstream', this.label)), next);
  }
}

class EnumerateIterator<T> extends ElementwiseIterator<T, [number, T]> {
  constructor(
    stage: Stage<unknown>,
    input: StageIterator<T>,
    private nextIndex: number,
  ) {
    super(stage, input);
  }

  protected accept(element: T): [number, T] {
    return markTuple<[number, T]>([this.nextIndex++, element]);
  }

  protected ownState(): StageState {
    return { next: this.nextIndex };
  }
}
