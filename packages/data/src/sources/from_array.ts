import { END_OF_SEQUENCE, type Stage, type StageIterator, type StageState, type SyncPull } from '../pipeline/stage.js';
import { PullIterator } from '../pipeline/pull.js';
import { readCount } from '../pipeline/state_fields.js';

/** `Dataset.fromArray`: the items of an array, in order (the array is not copied). */
export class ArrayStage<T> implements Stage<T> {
  readonly upstream = [];
  readonly label: string;

  constructor(
    private readonly items: readonly T[],
    label = `FromArray(${items.length})`,
  ) {
    this.label = label;
  }

  open(state?: StageState): StageIterator<T> {
    const position = state === undefined ? 0 : readCount(state, 'position', this.label);
    return new ArrayIterator(this.items, position);
  }
}

class ArrayIterator<T> extends PullIterator<T> {
  constructor(
    private readonly items: readonly T[],
    private position: number,
  ) {
    super();
  }

  nextSync(): SyncPull<T> {
    if (this.position >= this.items.length) return END_OF_SEQUENCE;
    return this.items[this.position++]!;
  }

  protected nextAsync(): Promise<typeof END_OF_SEQUENCE> {
    return Promise.resolve(END_OF_SEQUENCE);
  }

  saveState(): StageState {
    return { position: this.position };
  }

  async close(): Promise<void> {
    this.position = this.items.length;
  }
}
