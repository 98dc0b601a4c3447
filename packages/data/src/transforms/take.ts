import type { Stage, StageIterator, StageState } from '../pipeline/stage.js';
import { ElementwiseIterator } from '../pipeline/elementwise.js';
import { CountingStage } from '../pipeline/counting_stage.js';

/**
 * `take(n)`: the first `n` elements (all when n < 0); stops pulling upstream once it has them.
 * Columnar sources stay columnar through it (see CountingStage).
 */
export class TakeStage<T> extends CountingStage<T> {
  constructor(input: Stage<T>, count: number) {
    super(input, 'take', count, `Take(${count})`);
  }

  protected openRows(input: StageIterator<T>, taken: number): StageIterator<T> {
    return new TakeIterator(this, input, this.count, taken);
  }
}

class TakeIterator<T> extends ElementwiseIterator<T, T> {
  constructor(
    stage: Stage<T>,
    input: StageIterator<T>,
    private readonly count: number,
    private taken: number,
  ) {
    super(stage, input);
  }

  protected override canPull(): boolean {
    return this.count < 0 || this.taken < this.count;
  }

  protected accept(element: T): T {
    this.taken++;
    return element;
  }

  protected ownState(): StageState {
    // 'seen' is the field name of the saved-state format, shared with skip and shard.
    return { seen: this.taken };
  }
}
