import { InvalidArgumentError } from '@tsflow/core';
import type { ColumnarChunk, Stage, StageIterator, StageState } from '../pipeline/stage.js';
import { ElementwiseIterator, SKIP } from '../pipeline/elementwise.js';
import { openCountedChunks } from '../pipeline/columnar_counting.js';
import { readCount, readUpstream } from '../pipeline/state_fields.js';

/**
 * `skip(n)`: all but the first `n` elements (none when n < 0). Columnar sources stay columnar
 * through it (see ColumnarCountingIterator).
 */
export class SkipStage<T> implements Stage<T> {
  readonly upstream: readonly Stage<unknown>[];
  readonly label: string;
  readonly openChunks?: (state?: StageState) => StageIterator<ColumnarChunk>;

  constructor(
    private readonly input: Stage<T>,
    private readonly count: number,
  ) {
    if (!Number.isInteger(count)) throw new InvalidArgumentError(`skip: count must be an integer, got ${count}`);
    this.upstream = [input];
    this.label = `Skip(${count})`;
    if (input.openChunks !== undefined) this.openChunks = (state) => openCountedChunks(this, input, 'skip', count, state);
  }

  open(state?: StageState): StageIterator<T> {
    const skipped = state === undefined ? 0 : readCount(state, 'seen', this.label);
    const input = this.input.open(state && readUpstream(state, 'upstream', this.label));
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
