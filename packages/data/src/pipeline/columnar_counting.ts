import type { ColumnarChunk, Stage, StageIterator, StageState } from './stage.js';
import { DONE_RESULT } from './pull.js';
import { stageFailure } from './stage_errors.js';
import { readCount, readUpstream } from './state_fields.js';
import { sliceColumns } from './columnar_batch.js';

/**
 * The columnar path of `take(n)` / `skip(n)`: cuts the upstream's column chunks at row `n`
 * (views, no copies), so `source.take(n).batch(k)` / `source.skip(n).batch(k)` stay columnar.
 * Its state has the row pass's format (`seen` + upstream), as the protocol requires.
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

/** Opens the columnar path of a take/skip stage over `input`, resuming from its saved state. */
export function openCountedChunks(
  stage: Stage<unknown>,
  input: Stage<unknown>,
  mode: 'take' | 'skip',
  n: number,
  state: StageState | undefined,
): StageIterator<ColumnarChunk> {
  const seen = state === undefined ? 0 : readCount(state, 'seen', stage.label);
  const chunks = input.openChunks!(state && readUpstream(state, 'upstream', stage.label));
  return new ColumnarCountingIterator(stage, chunks, mode, n, seen);
}

function cut(chunk: ColumnarChunk, start: number, end: number): ColumnarChunk {
  return { numRows: end - start, columns: sliceColumns(chunk.columns, start, end) };
}
