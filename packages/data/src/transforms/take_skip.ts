import { InvalidArgumentError } from '@tsflow/core';
import type { END_OF_SEQUENCE, Stage, StageIterator, StageState } from '../pipeline/stage.js';
import { ElementwiseIterator, SKIP } from '../pipeline/elementwise.js';
import { readCount, readUpstream } from '../pipeline/state_fields.js';
import type { ColumnarChunk } from '../pipeline/stage.js';
import { ColumnarCountingIterator } from './columnar_take_skip.js';

type Mode = 'take' | 'skip' | 'shard';

/**
 * `take(n)` (n < 0: all), `skip(n)` (n < 0: everything), `shard(numShards, index)` (every
 * numShards-th element starting at index). All three only count, so they share one stage.
 */
export class CountingStage<T> implements Stage<T> {
  readonly upstream: readonly Stage<unknown>[];
  readonly label: string;

  constructor(
    private readonly input: Stage<T>,
    private readonly mode: Mode,
    private readonly n: number,
    private readonly shardIndex = 0,
  ) {
    if (!Number.isInteger(n)) throw new InvalidArgumentError(`${mode}: count must be an integer, got ${n}`);
    if (mode === 'shard') {
      if (n < 1) throw new InvalidArgumentError(`shard: numShards must be a positive integer, got ${n}`);
      if (!Number.isInteger(shardIndex) || shardIndex < 0 || shardIndex >= n) {
        throw new InvalidArgumentError(`shard: index must be an integer in [0, ${n}), got ${shardIndex}`);
      }
    }
    this.upstream = [input];
    this.label = mode === 'take' ? `Take(${n})` : mode === 'skip' ? `Skip(${n})` : `Shard(${n}, ${shardIndex})`;
    if (mode !== 'shard' && input.openChunks !== undefined) {
      // Columnar sources stay columnar through take/skip (see ColumnarCountingIterator).
      this.openChunks = (state?: StageState): StageIterator<ColumnarChunk> => {
        const seen = state === undefined ? 0 : readCount(state, 'seen', this.label);
        const chunks = input.openChunks!(state && readUpstream(state, 'upstream', this.label));
        return new ColumnarCountingIterator(this, chunks, mode, n, seen);
      };
    }
  }

  openChunks?: (state?: StageState) => StageIterator<ColumnarChunk>;

  open(state?: StageState): StageIterator<T> {
    const seen = state === undefined ? 0 : readCount(state, 'seen', this.label);
    const input = this.input.open(state && readUpstream(state, 'upstream', this.label));
    return new CountingIterator(this, input, this.mode, this.n, this.shardIndex, seen);
  }
}

class CountingIterator<T> extends ElementwiseIterator<T, T> {
  constructor(
    stage: Stage<T>,
    input: StageIterator<T>,
    private readonly mode: Mode,
    private readonly n: number,
    private readonly shardIndex: number,
    /** Upstream elements seen so far (take: taken, skip: skipped until n, shard: position). */
    private seen: number,
  ) {
    super(stage, input);
  }

  protected override canPull(): boolean {
    return this.mode !== 'take' || this.n < 0 || this.seen < this.n;
  }

  protected accept(element: T): T | typeof SKIP | typeof END_OF_SEQUENCE {
    switch (this.mode) {
      case 'take':
        this.seen++;
        return element;
      case 'skip':
        if (this.n >= 0 && this.seen >= this.n) return element;
        this.seen++;
        return SKIP;
      case 'shard': {
        const position = this.seen++;
        return position % this.n === this.shardIndex ? element : SKIP;
      }
    }
  }

  protected ownState(): StageState {
    return { seen: this.seen };
  }
}
