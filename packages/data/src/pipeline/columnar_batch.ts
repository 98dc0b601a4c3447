import { InvalidArgumentError, NDArray } from '@tsflow/core';
import type { ColumnValue, ColumnarChunk, Stage, StageIterator, StageState } from './stage.js';
import { DONE_RESULT } from './pull.js';
import { stageFailure } from './stage_errors.js';
import { readCount, readUpstream } from './state_fields.js';

/**
 * `batch(n)` over a columnar source: slices each column chunk into `[n]` / `[n, d]` NDArrays
 * (views when a batch lies inside one chunk, one copy when it spans chunks) and never builds
 * per-row objects. Its state is "the chunk state before the current chunk + rows taken from
 * it", so it does not depend on how the source encodes its position.
 */
export class ColumnarBatchIterator implements StageIterator<Record<string, ColumnValue>> {
  private readonly chunks: StageIterator<ColumnarChunk>;
  private chunk: ColumnarChunk | undefined;
  private rowInChunk = 0;
  private stateBeforeChunk: StageState | undefined;
  private stateError: unknown;
  private ended = false;
  /** Position at the start of the batch being assembled, while a chunk read is in flight. */
  private batchStart: StageState | undefined;

  constructor(
    private readonly stage: Stage<unknown>,
    input: Stage<unknown>,
    private readonly batchSize: number,
    private readonly dropRemainder: boolean,
    state: StageState | undefined,
  ) {
    this.stateBeforeChunk = state === undefined ? undefined : readUpstream(state, 'chunks', stage.label);
    const skipRows = state === undefined ? 0 : readCount(state, 'rowInChunk', stage.label);
    this.chunks = input.openChunks!(this.stateBeforeChunk);
    this.rowInChunk = skipRows;
  }

  async next(): Promise<IteratorResult<Record<string, ColumnValue>, undefined>> {
    const pieces: { chunk: ColumnarChunk; start: number; end: number }[] = [];
    let rows = 0;
    this.batchStart = this.stateError === undefined ? this.saveState() : undefined;
    try {
      while (rows < this.batchSize && !this.ended) {
        if (this.chunk === undefined || this.rowInChunk >= this.chunk.numRows) {
          const skip = this.chunk === undefined ? this.rowInChunk : 0;
          if (!(await this.advanceChunk())) break;
          this.rowInChunk = skip;
          continue;
        }
        const take = Math.min(this.batchSize - rows, this.chunk.numRows - this.rowInChunk);
        pieces.push({ chunk: this.chunk, start: this.rowInChunk, end: this.rowInChunk + take });
        this.rowInChunk += take;
        rows += take;
      }
      if (rows === 0 || (this.dropRemainder && rows < this.batchSize)) return DONE_RESULT;
      return { value: assembleBatch(pieces, rows), done: false };
    } catch (error) {
      throw stageFailure(this.stage, error);
    } finally {
      this.batchStart = undefined;
    }
  }

  /** Moves to the next chunk, remembering the source's position before it. */
  private async advanceChunk(): Promise<boolean> {
    if (this.chunk !== undefined) {
      try {
        this.stateBeforeChunk = this.chunks.saveState();
        this.stateError = undefined;
      } catch (error) {
        this.stateError = error;
      }
    }
    const result = await this.chunks.next();
    if (result.done) {
      this.ended = true;
      this.chunk = undefined;
      return false;
    }
    this.chunk = result.value;
    return true;
  }

  saveState(): StageState {
    if (this.batchStart !== undefined) return this.batchStart;
    if (this.stateError !== undefined) throw this.stateError;
    if (this.chunk === undefined && this.ended) return { chunks: this.chunks.saveState(), rowInChunk: 0 };
    return { chunks: this.stateBeforeChunk ?? null, rowInChunk: this.rowInChunk };
  }

  close(): Promise<void> {
    this.ended = true;
    return this.chunks.close();
  }
}

function assembleBatch(
  pieces: readonly { chunk: ColumnarChunk; start: number; end: number }[],
  rows: number,
): Record<string, ColumnValue> {
  const first = pieces[0]!;
  const out: Record<string, ColumnValue> = {};
  for (const name of Object.keys(first.chunk.columns)) {
    const parts = pieces.map((piece) => {
      const column = piece.chunk.columns[name];
      if (column === undefined) {
        throw new InvalidArgumentError(`column '${name}' is missing from a later chunk of the source`);
      }
      return sliceRows(column, piece.start, piece.end);
    });
    out[name] = parts.length === 1 ? parts[0]! : concatRows(parts, rows, name);
  }
  return out;
}

/** Rows [start, end) of every column of a chunk (views, see `sliceRows`). */
export function sliceColumns(
  columns: Readonly<Record<string, ColumnValue>>,
  start: number,
  end: number,
): Record<string, ColumnValue> {
  const out: Record<string, ColumnValue> = {};
  for (const name of Object.keys(columns)) out[name] = sliceRows(columns[name]!, start, end);
  return out;
}

function sliceRows(column: ColumnValue, start: number, end: number): ColumnValue {
  if (!(column instanceof NDArray)) return column.slice(start, end);
  const rowSize = column.shape[0] === 0 ? 0 : column.size / column.shape[0]!;
  if (start === 0 && end === column.shape[0]) return column;
  const view = column.data.subarray(start * rowSize, end * rowSize);
  return new NDArray(column.dtype, [end - start, ...column.shape.slice(1)], view);
}

function concatRows(parts: readonly ColumnValue[], rows: number, name: string): ColumnValue {
  const first = parts[0]!;
  if (!(first instanceof NDArray)) return parts.flatMap((part) => part as unknown[]);
  const rowShape = first.shape.slice(1);
  const rowSize = first.size / first.shape[0]!;
  const out = new (first.data.constructor as new (length: number) => NDArray['data'])(rows * rowSize);
  let offset = 0;
  for (const part of parts) {
    if (!(part instanceof NDArray) || part.dtype !== first.dtype || part.size / part.shape[0]! !== rowSize) {
      throw new InvalidArgumentError(`column '${name}' changes type or row shape between chunks of the source`);
    }
    out.set(part.data, offset);
    offset += part.size;
  }
  return new NDArray(first.dtype, [rows, ...rowShape], out);
}
