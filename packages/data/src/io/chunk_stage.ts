import type { ColumnarChunk, Stage, StageIterator, StageState, SyncPull } from '../pipeline/stage.js';
import { END_OF_SEQUENCE, NOT_READY } from '../pipeline/stage.js';
import { DONE_RESULT, PullIterator } from '../pipeline/pull.js';
import { stageFailure } from '../pipeline/stage_errors.js';
import { ChunkRows } from './chunk_rows.js';

/** A chunk plus how to name positions inside it, so both row and chunk passes can save state. */
export interface PositionedChunk {
  readonly chunk: ColumnarChunk;
  /** The saved state after `rowsConsumed` rows of this chunk (0..numRows). */
  stateAt(rowsConsumed: number): StageState;
}

/** What a columnar source implements: chunks in order, from a start position. @internal */
export interface ChunkReader {
  /** The next non-empty chunk, or undefined at the end. */
  next(): Promise<PositionedChunk | undefined>;
  /** The state before the first chunk (what a pass that read nothing saves). */
  readonly initialState: StageState;
  close(): Promise<void>;
}

/** `openChunks()` of a columnar source: chunk after chunk; errors are tagged with the stage. */
export class ChunkStageIterator implements StageIterator<ColumnarChunk> {
  private last: PositionedChunk | undefined;
  private closed = false;

  constructor(
    private readonly stage: Stage<unknown>,
    private readonly reader: ChunkReader,
  ) {}

  async next(): Promise<IteratorResult<ColumnarChunk, undefined>> {
    if (this.closed) return DONE_RESULT;
    let positioned: PositionedChunk | undefined;
    try {
      positioned = await this.reader.next();
    } catch (error) {
      await this.close().catch(() => undefined);
      throw stageFailure(this.stage, error);
    }
    if (positioned === undefined) {
      await this.close();
      return DONE_RESULT;
    }
    this.last = positioned;
    return { value: positioned.chunk, done: false };
  }

  saveState(): StageState {
    return this.last === undefined ? this.reader.initialState : this.last.stateAt(this.last.chunk.numRows);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.reader.close();
  }
}

/** `open()` of a columnar source: rows of each chunk, synchronously while a chunk lasts. */
export class ChunkRowIterator extends PullIterator<Record<string, unknown>> {
  private current: PositionedChunk | undefined;
  private rows: ChunkRows | undefined;
  private rowIndex = 0;
  private ended = false;

  constructor(
    private readonly stage: Stage<unknown>,
    private readonly reader: ChunkReader,
  ) {
    super();
  }

  nextSync(): SyncPull<Record<string, unknown>> {
    if (this.rows !== undefined && this.rowIndex < this.rows.chunk.numRows) return this.rows.row(this.rowIndex++);
    return this.ended ? END_OF_SEQUENCE : NOT_READY;
  }

  protected async nextAsync(): Promise<Record<string, unknown> | typeof END_OF_SEQUENCE> {
    let positioned: PositionedChunk | undefined;
    try {
      positioned = await this.reader.next();
    } catch (error) {
      await this.close().catch(() => undefined);
      throw stageFailure(this.stage, error);
    }
    if (positioned === undefined) {
      await this.close();
      return END_OF_SEQUENCE;
    }
    this.current = positioned;
    this.rows = new ChunkRows(positioned.chunk);
    this.rowIndex = 1;
    return this.rows.row(0);
  }

  saveState(): StageState {
    return this.current === undefined ? this.reader.initialState : this.current.stateAt(this.rowIndex);
  }

  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.rows = undefined;
    await this.reader.close();
  }
}
