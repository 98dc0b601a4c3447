import type { Stage, StageIterator, StageState } from '../pipeline/stage.js';
import { ElementwiseIterator, SKIP, callPredicate } from '../pipeline/elementwise.js';
import { readUpstream } from '../pipeline/state_fields.js';

/** A synchronous test of an element (filter, takeWhile); its result is read as truthy/falsy. */
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
    return new FilterIterator(
      this,
      this.input.open(state && readUpstream(state, 'upstream', this.label)),
      this.predicate,
    );
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
