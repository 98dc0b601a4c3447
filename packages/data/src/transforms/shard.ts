import { InvalidArgumentError } from '@tsflow/core';
import type { Stage, StageIterator, StageState } from '../pipeline/stage.js';
import { ElementwiseIterator, SKIP } from '../pipeline/elementwise.js';
import { readCount, readUpstream } from '../pipeline/state_fields.js';

/** `shard(numShards, index)`: every `numShards`-th element starting at `index`. */
export class ShardStage<T> implements Stage<T> {
  readonly upstream: readonly Stage<unknown>[];
  readonly label: string;

  constructor(
    private readonly input: Stage<T>,
    private readonly numShards: number,
    private readonly index: number,
  ) {
    if (!Number.isInteger(numShards))
      throw new InvalidArgumentError(`shard: count must be an integer, got ${numShards}`);
    if (numShards < 1) throw new InvalidArgumentError(`shard: numShards must be a positive integer, got ${numShards}`);
    if (!Number.isInteger(index) || index < 0 || index >= numShards) {
      throw new InvalidArgumentError(`shard: index must be an integer in [0, ${numShards}), got ${index}`);
    }
    this.upstream = [input];
    this.label = `Shard(${numShards}, ${index})`;
  }

  open(state?: StageState): StageIterator<T> {
    const position = state === undefined ? 0 : readCount(state, 'seen', this.label);
    const input = this.input.open(state && readUpstream(state, 'upstream', this.label));
    return new ShardIterator(this, input, this.numShards, this.index, position);
  }
}

class ShardIterator<T> extends ElementwiseIterator<T, T> {
  constructor(
    stage: Stage<T>,
    input: StageIterator<T>,
    private readonly numShards: number,
    private readonly index: number,
    /** Position of the next upstream element. */
    private position: number,
  ) {
    super(stage, input);
  }

  protected accept(element: T): T | typeof SKIP {
    return this.position++ % this.numShards === this.index ? element : SKIP;
  }

  protected ownState(): StageState {
    return { seen: this.position };
  }
}
