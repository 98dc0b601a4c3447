import { InvalidArgumentError } from '@tsflow/core';
import type { Stage, StageIterator, StageState } from '../pipeline/stage.js';
import { ElementwiseIterator } from '../pipeline/elementwise.js';
import { decodeElement, encodeElement } from '../pipeline/element_codec.js';
import { isThenable } from '../pipeline/pull.js';
import { badState, readUpstream } from '../pipeline/state_fields.js';

/**
 * The scan function: returns `[newState, output]` like tf.data's `scan`, or any other value,
 * which becomes both the new state and the output (a running accumulation, like rxjs `scan`).
 */
export type ScanFn<S, T, U> = (state: S, element: T) => readonly [S, U] | S;

/**
 * `scan(initial, fn)`: threads a state through the elements. A 2-element array result is
 * read as `[newState, output]`; anything else is both new state and output.
 */
export class ScanStage<S, T, U> implements Stage<U> {
  readonly upstream: readonly Stage<unknown>[];
  readonly label = 'Scan';

  constructor(
    private readonly input: Stage<T>,
    private readonly initial: S,
    private readonly fn: ScanFn<S, T, U>,
  ) {
    this.upstream = [input];
  }

  open(state?: StageState): StageIterator<U> {
    if (state !== undefined && !('accumulator' in state)) throw badState(this.label, "field 'accumulator' is missing");
    const accumulator = state === undefined ? this.initial : (decodeElement(state.accumulator) as S);
    return new ScanIterator(
      this,
      this.input.open(state && readUpstream(state, 'upstream', this.label)),
      this.fn,
      accumulator,
    );
  }
}

class ScanIterator<S, T, U> extends ElementwiseIterator<T, U> {
  constructor(
    stage: Stage<unknown>,
    input: StageIterator<T>,
    private readonly fn: ScanFn<S, T, U>,
    private accumulator: S,
  ) {
    super(stage, input);
  }

  protected accept(element: T): U {
    const result = this.fn(this.accumulator, element);
    if (isThenable(result))
      throw new InvalidArgumentError('scan: the function returned a Promise; scan functions must be synchronous');
    if (Array.isArray(result) && result.length === 2) {
      this.accumulator = result[0] as S;
      return result[1] as U;
    }
    this.accumulator = result as S;
    return result as unknown as U;
  }

  protected ownState(): StageState {
    return { accumulator: encodeElement(this.accumulator, 'Scan') };
  }
}
