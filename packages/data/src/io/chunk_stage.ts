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

/**
 * `open()` of a columnar source: rows of each chunk, synchronously while a chunk lasts. The
 * next chunk loads in the background once `whenReady()` asks for it, so stages running ahead
 * (prefetch) pull rows synchronously and a saved state never misses a row in transit.
 */
export class ChunkRowIterator extends PullIterator<Record<string, unknown>> {
  private current: PositionedChunk | undefined;
  private rows: ChunkRows | undefined;
  private rowIndex = 0;
  private ended = false;
  private loading: Promise<void> | undefined;
  private loaded: PositionedChunk | typeof END_OF_SEQUENCE | undefined;
  private loadError: unknown;

  constructor(
    private readonly stage: Stage<unknown>,
    private readonly reader: ChunkReader,
  ) {
    super();
  }

  nextSync(): SyncPull<Record<string, unknown>> {
    if (this.rows !== undefined && this.rowIndex < this.rows.chunk.numRows) return this.rows.row(this.rowIndex++);
    if (this.loadError !== undefined) {
      const error = this.loadError;
      this.loadError = undefined;
      this.ended = true;
      void this.reader.close().catch(() => undefined);
      throw stageFailure(this.stage, error);
    }
    const loaded = this.loaded;
    if (loaded === undefined) return this.ended ? END_OF_SEQUENCE : NOT_READY;
    this.loaded = undefined;
    if (loaded === END_OF_SEQUENCE) {
      void this.close();
      return END_OF_SEQUENCE;
    }
    this.current = loaded;
    this.rows = new ChunkRows(loaded.chunk);
    this.rowIndex = 1;
    return this.rows.row(0);
  }

  /** Starts loading the next chunk when the current one is used up; settles when it is there. */
  override whenReady(): Promise<void> {
    const hasRows = this.rows !== undefined && this.rowIndex < this.rows.chunk.numRows;
    if (hasRows || this.ended || this.loaded !== undefined || this.loadError !== undefined) return Promise.resolve();
    this.loading ??= this.reader.next().then(
      (positioned) => {
        this.loaded = positioned ?? END_OF_SEQUENCE;
        this.loading = undefined;
      },
      (error: unknown) => {
        this.loadError = error;
        this.loading = undefined;
      },
    );
    return this.loading;
  }

  protected async nextAsync(): Promise<Record<string, unknown> | typeof END_OF_SEQUENCE> {
    await this.whenReady();
    const value = this.nextSync();
    return value === NOT_READY ? END_OF_SEQUENCE : value;
  }

  /** The position after the last row returned (a chunk loaded but not yet read doesn't count). */
  saveState(): StageState {
    return this.current === undefined ? this.reader.initialState : this.current.stateAt(this.rowIndex);
  }

  async close(): Promise<void> {
    if (this.ended && this.rows === undefined) return;
    this.ended = true;
    this.rows = undefined;
    await this.loading?.catch(() => undefined);
    await this.reader.close();
  }
}
