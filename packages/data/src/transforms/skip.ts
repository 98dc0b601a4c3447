import type { Stage, StageIterator, StageState } from '../pipeline/stage.js';
import { ElementwiseIterator, SKIP } from '../pipeline/elementwise.js';
import { CountingStage } from '../pipeline/counting_stage.js';

/**
 * `skip(n)`: all but the first `n` elements (none when n < 0). Columnar sources stay columnar
 * through it (see CountingStage).
 */
export class SkipStage<T> extends CountingStage<T> {
  constructor(input: Stage<T>, count: number) {
    super(input, 'skip', count, `Skip(${count})`);
  }

  protected openRows(input: StageIterator<T>, skipped: number): StageIterator<T> {
    return new SkipIterator(this, input, this.count, skipped);
  }
}

class SkipIterator<T> extends ElementwiseIterator<T, T> {
  constructor(
    stage: Stage<T>,
    input: StageIterator<T>,
    private readonly count: number,
    /** Elements skipped so far (stops counting at `count`). */
    private skipped: number,
  ) {
    super(stage, input);
  }

  protected accept(element: T): T | typeof SKIP {
    if (this.count >= 0 && this.skipped >= this.count) return element;
    this.skipped++;
    return SKIP;
  }

  protected ownState(): StageState {
    return { seen: this.skipped };
  }
}
