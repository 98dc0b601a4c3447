import { END_OF_SEQUENCE, type Stage, type StageIterator, type StageState, type SyncPull } from './stage.js';
import { PullIterator } from './pull.js';
import { readCountUpTo } from './state_fields.js';

/**
 * A source of `length` elements produced on demand by `get(i)` (array items, tensor slices).
 * Its position is just the index, so it resumes exactly.
 */
export class IndexedStage<T> implements Stage<T> {
  readonly upstream = [];

  constructor(
    protected readonly length: number,
    private readonly get: (index: number) => T,
    readonly label: string,
  ) {}

  open(state?: StageState): StageIterator<T> {
    const position = state === undefined ? 0 : readCountUpTo(state, 'position', this.label, this.length, 'elements');
    return new IndexedIterator(this.length, this.get, position);
  }
}

class IndexedIterator<T> extends PullIterator<T> {
  constructor(
    private readonly length: number,
    private readonly get: (index: number) => T,
    private position: number,
  ) {
    super();
  }

  nextSync(): SyncPull<T> {
    if (this.position >= this.length) return END_OF_SEQUENCE;
    return this.get(this.position++);
  }

  protected nextAsync(): Promise<typeof END_OF_SEQUENCE> {
    // nextSync never answers NOT_READY; this exists only to satisfy the base class.
    return Promise.resolve(END_OF_SEQUENCE);
  }

  saveState(): StageState {
    return { position: this.position };
  }

  async close(): Promise<void> {
    this.position = this.length;
  }
}
