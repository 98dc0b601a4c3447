import { InvalidArgumentError } from '@tsflow/core';
import type { ColumnarChunk, Stage, StageIterator, StageState } from './stage.js';
import { DONE_RESULT } from './pull.js';
import { stageFailure } from './stage_errors.js';
import { readCount, readUpstream } from './state_fields.js';
import { sliceColumns } from './columnar_batch.js';

/**
 * The columnar path of `take(n)` / `skip(n)` (CountingStage below): cuts the upstream's column
 * chunks at row `n` (views, no copies), so `source.take(n).batch(k)` / `source.skip(n).batch(k)`
 * stay columnar. Its state has the row pass's format (`seen` + upstream), as the protocol requires.
 */
class ColumnarCountingIterator implements StageIterator<ColumnarChunk> {
  constructor(
    private readonly stage: Stage<unknown>,
    private readonly chunks: StageIterator<ColumnarChunk>,
    private readonly mode: 'take' | 'skip',
    /** n < 0: take everything / skip everything. */
    private readonly n: number,
    private seen: number,
  ) {}

  async next(): Promise<IteratorResult<ColumnarChunk, undefined>> {
    try {
      for (;;) {
        if (this.mode === 'take' && this.n >= 0 && this.seen >= this.n) return DONE_RESULT;
        const result = await this.chunks.next();
        if (result.done) return DONE_RESULT;
        const chunk = result.value;
        if (this.mode === 'take') {
          const keep = this.n < 0 ? chunk.numRows : Math.min(chunk.numRows, this.n - this.seen);
          this.seen += keep;
          return { value: keep === chunk.numRows ? chunk : cut(chunk, 0, keep), done: false };
        }
        if (this.n < 0) continue;
        const drop = Math.min(chunk.numRows, Math.max(0, this.n - this.seen));
        this.seen += drop;
        if (drop === chunk.numRows) continue;
        return { value: drop === 0 ? chunk : cut(chunk, drop, chunk.numRows), done: false };
      }
    } catch (error) {
      throw stageFailure(this.stage, error);
    }
  }

  saveState(): StageState {
    return { seen: this.seen, upstream: this.chunks.saveState() };
  }

  close(): Promise<void> {
    return this.chunks.close();
  }
}

/**
 * Base of `take(n)` / `skip(n)`: validates the count, reads the position (`seen`) from a saved
 * state, and gives columnar sources a columnar path (ColumnarCountingIterator); subclasses
 * supply the row-by-row iterator.
 */
export abstract class CountingStage<T> implements Stage<T> {
  readonly upstream: readonly Stage<unknown>[];
  readonly openChunks?: (state?: StageState) => StageIterator<ColumnarChunk>;

  constructor(
    private readonly input: Stage<T>,
    mode: 'take' | 'skip',
    protected readonly count: number,
    readonly label: string,
  ) {
    if (!Number.isInteger(count)) throw new InvalidArgumentError(`${mode}: count must be an integer, got ${count}`);
    this.upstream = [input];
    if (input.openChunks !== undefined) {
      this.openChunks = (state) => {
        const chunks = input.openChunks!(state && readUpstream(state, 'upstream', label));
        return new ColumnarCountingIterator(this, chunks, mode, count, readSeen(state, label));
      };
    }
  }

  open(state?: StageState): StageIterator<T> {
    const input = this.input.open(state && readUpstream(state, 'upstream', this.label));
    return this.openRows(input, readSeen(state, this.label));
  }

  /** The row-by-row pass over `input`, `seen` upstream elements in. */
  protected abstract openRows(input: StageIterator<T>, seen: number): StageIterator<T>;
}

function readSeen(state: StageState | undefined, label: string): number {
  return state === undefined ? 0 : readCount(state, 'seen', label);
}

function cut(chunk: ColumnarChunk, start: number, end: number): ColumnarChunk {
  return { numRows: end - start, columns: sliceColumns(chunk.columns, start, end) };
}
