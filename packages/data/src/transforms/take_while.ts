import { END_OF_SEQUENCE, type Stage, type StageIterator, type StageState } from '../pipeline/stage.js';
import { ElementwiseIterator, callPredicate } from '../pipeline/elementwise.js';
import { readBoolean, readUpstream } from '../pipeline/state_fields.js';
import type { Predicate } from './filter.js';

/** `takeWhile(pred)`: elements up to (excluding) the first for which `pred` is falsy. */
export class TakeWhileStage<T> implements Stage<T> {
  readonly upstream: readonly Stage<unknown>[];
  readonly label = 'TakeWhile';

  constructor(
    private readonly input: Stage<T>,
    private readonly predicate: Predicate<T>,
  ) {
    this.upstream = [input];
  }

  open(state?: StageState): StageIterator<T> {
    const stopped = state === undefined ? false : readBoolean(state, 'stopped', this.label);
    return new TakeWhileIterator(
      this,
      this.input.open(state && readUpstream(state, 'upstream', this.label)),
      this.predicate,
      stopped,
    );
  }
}

class TakeWhileIterator<T> extends ElementwiseIterator<T, T> {
  constructor(
    stage: Stage<T>,
    input: StageIterator<T>,
    private readonly predicate: Predicate<T>,
    private stopped: boolean,
  ) {
    super(stage, input);
  }

  protected override canPull(): boolean {
    return !this.stopped;
  }

  protected accept(element: T): T | typeof END_OF_SEQUENCE {
    if (callPredicate(this.predicate, element, 'takeWhile')) return element;
    this.stopped = true;
    return END_OF_SEQUENCE;
  }

  protected ownState(): StageState {
    return { stopped: this.stopped };
  }
}
