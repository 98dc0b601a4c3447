import { InvalidArgumentError } from '@tsflow/core';
import type { ColumnarChunk, Stage, StageIterator, StageState } from '../pipeline/stage.js';
import { ElementwiseIterator } from '../pipeline/elementwise.js';
import { openCountedChunks } from '../pipeline/columnar_counting.js';
import { readCount, readUpstream } from '../pipeline/state_fields.js';

/**
 * `take(n)`: the first `n` elements (all when n < 0); stops pulling upstream once it has them.
 * Columnar sources stay columnar through it (see ColumnarCountingIterator).
 */
export class TakeStage<T> implements Stage<T> {
  readonly upstream: readonly Stage<unknown>[];
  readonly label: string;
  readonly openChunks?: (state?: StageState) => StageIterator<ColumnarChunk>;

  constructor(
    private readonly input: Stage<T>,
    private readonly count: number,
  ) {
    if (!Number.isInteger(count)) throw new InvalidArgumentError(`take: count must be an integer, got ${count}`);
    this.upstream = [input];
    this.label = `Take(${count})`;
    if (input.openChunks !== undefined) this.openChunks = (state) => openCountedChunks(this, input, 'take', count, state);
  }

  open(state?: StageState): StageIterator<T> {
    const taken = state === undefined ? 0 : readCount(state, 'seen', this.label);
    const input = this.input.open(state && readUpstream(state, 'upstream', this.label));
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
