import { END_OF_SEQUENCE, type Stage, type StageIterator, type StageState } from '../pipeline/stage.js';
import { ElementwiseIterator, SKIP, callPredicate } from '../pipeline/elementwise.js';
import { readBoolean, readUpstream } from '../pipeline/state_fields.js';

export type Predicate<T> = (element: T) => unknown;

/** `filter(pred)`: keeps the elements for which `pred` is truthy. */
export class FilterStage<T> implements Stage<T> {
  readonly upstream: readonly Stage<unknown>[];
  readonly label = 'Filter';

  constructor(
    private readonly input: Stage<T>,
    private readonly predicate: Predicate<T>,
  ) {
    this.upstream = [input];
  }

  open(state?: StageState): StageIterator<T> {
    return new FilterIterator(this, this.input.open(state && readUpstream(state, 'upstream', this.label)), this.predicate);
  }
}

class FilterIterator<T> extends ElementwiseIterator<T, T> {
  constructor(
    stage: Stage<T>,
    input: StageIterator<T>,
    private readonly predicate: Predicate<T>,
  ) {
    super(stage, input);
  }

  protected accept(element: T): T | typeof SKIP {
    return callPredicate(this.predicate, element, 'filter') ? element : SKIP;
  }

  protected ownState(): StageState {
    return {};
  }
}

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
    return new TakeWhileIterator(this, this.input.open(state && readUpstream(state, 'upstream', this.label)), this.predicate, stopped);
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
