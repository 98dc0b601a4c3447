import { FailedPreconditionError, InvalidArgumentError } from '@tsflow/core';
import { type RecordBatch, type Schema, type Table, tableFromIPC } from 'apache-arrow';
import { DataLossError, describeCause } from './io_errors.js';
import type { ColumnarChunk, Stage, StageIterator, StageState } from '../pipeline/stage.js';
import { beyondData, readCount } from '../pipeline/state_fields.js';
import { recordBatchToChunk } from './arrow_columns.js';
import { recordBatchProblem } from './arrow_data_checks.js';
import { checkIpcData } from './arrow_ipc_checks.js';
import { ArrowIpcFileReader } from './arrow_ipc_file.js';
import { type ChunkReader, ChunkRowIterator, ChunkStageIterator, type PositionedChunk } from './chunk_stage.js';
import { type ColumnContext, type ColumnReadOptions, checkReadOptions, valuesUnchanged } from './column_options.js';
import type { ChunkPassOptions } from './arrow_passthrough.js';
import type { SinkSourceInfo } from './source_info.js';
import { describe } from '../pipeline/stacking.js';

/** What `Dataset.fromArrow` reads. A function is called once per pass (for one-shot generators). */
export type ArrowSourceInput =
  | Table
  | RecordBatch
  | string
  | Uint8Array
  | Iterable<RecordBatch>
  | AsyncIterable<RecordBatch>
  | (() => Iterable<RecordBatch> | AsyncIterable<RecordBatch>);

export interface ArrowSourceOptions extends ColumnReadOptions {
  /** Read only these columns, in this order. */
  columns?: readonly string[];
}

interface BatchCursor {
  next(): Promise<RecordBatch | undefined>;
  /** How many batches there are, once known (after the end at the latest). */
  batchCount(): number | undefined;
  close(): Promise<void>;
}

/**
 * `Dataset.fromArrow`: rows (objects keyed by column) of an apache-arrow Table, RecordBatches,
 * or an Arrow IPC file/stream on disk (read batch by batch, never whole). Its state is
 * `{ batch, row }`: IPC files and tables resume by seeking to the batch.
 *
 * @example
 * const ds = Dataset.fromArrow('digits.arrow').batch(64); // { pixels: [64, 64], label: [64] }
 */
export class ArrowSource implements Stage<Record<string, unknown>> {
  readonly upstream = [];
  readonly label: string;
  private consumedOneShot = false;

  constructor(
    private readonly input: ArrowSourceInput,
    private readonly options: ArrowSourceOptions = {},
  ) {
    if (input === null || input === undefined)
      throw new InvalidArgumentError('fromArrow: source is required (a Table, RecordBatches or a file path)');
    if (!isArrowSourceInput(input)) {
      throw new InvalidArgumentError(
        `fromArrow: expected a Table, a RecordBatch, an (async) iterable of RecordBatches or a function returning one, IPC bytes (Uint8Array) or a file path; got ${describe(input)}`,
      );
    }
    checkReadOptions('fromArrow', options);
    const columns = options.columns ? `, columns=[${options.columns.join(',')}]` : '';
    this.label = `ArrowSource(${describeInput(input)}${columns})`;
  }

  open(state?: StageState): StageIterator<Record<string, unknown>> {
    return new ChunkRowIterator(this, this.reader(state, false, true));
  }

  openChunks(state?: StageState, options: ChunkPassOptions = {}): StageIterator<ColumnarChunk> {
    return new ChunkStageIterator(
      this,
      this.reader(state, options.arrowOnly === true && valuesUnchanged(this.options)),
    );
  }

  /** The schema (projected) and, for in-memory tables, the row count. */
  async describeForSink(): Promise<SinkSourceInfo> {
    const input = this.input;
    let schema: Schema | undefined;
    let rows: number | undefined;
    if (isTable(input) || isRecordBatch(input)) {
      schema = input.schema;
      rows = input.numRows;
    } else if (typeof input === 'string') {
      const file = await ArrowIpcFileReader.open(input, 0);
      schema = file.schema;
      await file.close();
    }
    const columns = this.options.columns;
    return {
      ...(schema ? { schema: columns ? schema.select([...columns]) : schema } : {}),
      ...(rows !== undefined ? { rows } : {}),
    };
  }

  private reader(state: StageState | undefined, arrowOnly = false, forRows = false): ChunkReader {
    const batch = state === undefined ? 0 : readCount(state, 'batch', this.label);
    const row = state === undefined ? 0 : readCount(state, 'row', this.label);
    const where = typeof this.input === 'string' ? `${this.label}: file '${this.input}'` : this.label;
    const ctx: ColumnContext = { where, options: this.options, arrowOnly, forRows };
    return new ArrowChunkReader(this.label, () => this.openCursor(batch), batch, row, ctx, this.options.columns);
  }

  private decodedBytes: Table | undefined;

  /** IPC bytes in memory (file or stream format), decoded once. */
  private async ipcBytes(bytes: Uint8Array): Promise<Table> {
    try {
      if (this.decodedBytes === undefined) {
        await checkIpcData(async (position, length) => bytes.subarray(position, position + length), bytes.length);
        const table = tableFromIPC(bytes);
        // Arrow JS reads garbage as an empty table; a real IPC payload always has a schema.
        if (table.schema.fields.length === 0) throw new Error('no schema message found');
        this.decodedBytes = table;
      }
    } catch (error) {
      if (error instanceof DataLossError) throw error;
      throw new DataLossError(
        `${this.label}: the bytes are not a valid Arrow IPC file or stream: ${describeCause(error)}`,
      );
    }
    return this.decodedBytes;
  }

  private async openCursor(firstBatch: number): Promise<BatchCursor> {
    const input = this.input;
    if (typeof input === 'string') return ArrowIpcFileReader.open(input, firstBatch);
    if (input instanceof Uint8Array) return arrayCursor((await this.ipcBytes(input)).batches, firstBatch);
    if (isTable(input)) return arrayCursor(input.batches, firstBatch);
    if (isRecordBatch(input)) return arrayCursor([input], firstBatch);
    if (Array.isArray(input)) return arrayCursor(input as RecordBatch[], firstBatch);
    if (typeof input === 'function') return skippingCursor(input(), firstBatch);
    const iterable = input;
    if (isOneShot(iterable)) {
      if (this.consumedOneShot) {
        throw new FailedPreconditionError(
          `${this.label}: the RecordBatch iterator was already consumed by an earlier pass; pass an array, a Table, or a function returning a fresh iterable`,
        );
      }
      this.consumedOneShot = true;
    }
    return skippingCursor(iterable, firstBatch);
  }
}

/** Reads batches from a cursor and turns them into chunks, tracking `{ batch, row }`. */
class ArrowChunkReader implements ChunkReader {
  readonly initialState: StageState;
  private cursor: BatchCursor | undefined;
  private batchIndex: number;
  private skipRows: number;

  constructor(
    private readonly label: string,
    private readonly openCursor: () => Promise<BatchCursor>,
    private readonly firstBatch: number,
    firstRow: number,
    private readonly ctx: ColumnContext,
    private readonly columns: readonly string[] | undefined,
  ) {
    this.initialState = { batch: firstBatch, row: firstRow };
    this.batchIndex = firstBatch;
    this.skipRows = firstRow;
  }

  async next(): Promise<PositionedChunk | undefined> {
    this.cursor ??= await this.openCursor();
    for (;;) {
      const batch = await this.cursor.next();
      const index = this.batchIndex++;
      const skip = this.skipRows;
      this.skipRows = 0;
      if (batch === undefined) {
        if (index === this.firstBatch) this.checkResumedEnd(index, skip);
        return undefined;
      }
      if (!isRecordBatch(batch))
        throw new InvalidArgumentError(
          `${this.ctx.where}: element ${index} is not an apache-arrow RecordBatch; got ${describe(batch)}`,
        );
      const problem = recordBatchProblem(batch);
      if (problem !== undefined)
        throw new DataLossError(`${this.ctx.where}: record batch ${index} is corrupt: ${problem}`);
      if (skip > batch.numRows)
        throw beyondData(this.label, 'row', skip, `record batch ${index} has ${batch.numRows} rows`);
      if (batch.numRows <= skip) continue;
      const sliced = skip > 0 ? batch.slice(skip) : batch;
      const chunk = recordBatchToChunk(
        sliced,
        { ...this.ctx, where: `${this.ctx.where} record batch ${index}`, firstRow: skip },
        this.columns,
      );
      return {
        chunk,
        stateAt: (rows) =>
          skip + rows >= batch.numRows ? { batch: index + 1, row: 0 } : { batch: index, row: skip + rows },
      };
    }
  }

  /**
   * The pass resumed at `{ batch, row }` and found no batch there: fine at the end itself
   * (`{ batch: n, row: 0 }`), an error beyond it.
   */
  private checkResumedEnd(batch: number, row: number): void {
    const total = this.cursor!.batchCount();
    if (total === undefined || (batch === total && row === 0) || batch < total) return;
    if (batch > total) throw beyondData(this.label, 'batch', batch, `there are ${total} record batches`);
    throw beyondData(this.label, 'row', row, `the ${total} record batches have all been read at batch ${batch}`);
  }

  async close(): Promise<void> {
    await this.cursor?.close();
  }
}

function arrayCursor(batches: readonly RecordBatch[], first: number): BatchCursor {
  let index = first;
  return {
    next: async () => batches[index++],
    batchCount: () => batches.length,
    close: async () => {
      index = batches.length;
    },
  };
}

function skippingCursor(iterable: Iterable<RecordBatch> | AsyncIterable<RecordBatch>, first: number): BatchCursor {
  const iterator =
    Symbol.asyncIterator in iterable
      ? (iterable as AsyncIterable<RecordBatch>)[Symbol.asyncIterator]()
      : (iterable as Iterable<RecordBatch>)[Symbol.iterator]();
  let skipped = 0;
  let ended = false;
  return {
    async next() {
      for (;;) {
        const result = await iterator.next();
        if (result.done) {
          ended = true;
          return undefined;
        }
        if (skipped++ >= first) return result.value;
      }
    },
    batchCount: () => (ended ? skipped : undefined),
    async close() {
      await iterator.return?.();
    },
  };
}

/** An iterator that is its own iterable (a generator object) can be read only once. */
function isOneShot(iterable: Iterable<RecordBatch> | AsyncIterable<RecordBatch>): boolean {
  const factory =
    (iterable as AsyncIterable<RecordBatch>)[Symbol.asyncIterator] ??
    (iterable as Iterable<RecordBatch>)[Symbol.iterator];
  return (
    typeof (iterable as { next?: unknown }).next === 'function' && factory !== undefined && !Array.isArray(iterable)
  );
}

function isArrowSourceInput(input: unknown): input is ArrowSourceInput {
  if (typeof input === 'string' || typeof input === 'function') return true;
  if (typeof input !== 'object' || input === null) return false;
  return (
    input instanceof Uint8Array ||
    isTable(input) ||
    isRecordBatch(input) ||
    Symbol.iterator in input ||
    Symbol.asyncIterator in input
  );
}

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && Array.isArray((value as Table).batches) && 'schema' in value;
}

function isRecordBatch(value: unknown): value is RecordBatch {
  return (
    typeof value === 'object' &&
    value !== null &&
    'schema' in value &&
    'numRows' in value &&
    typeof (value as RecordBatch).select === 'function' &&
    !isTable(value)
  );
}

function describeInput(input: ArrowSourceInput): string {
  if (typeof input === 'string') return `'${input}'`;
  if (input instanceof Uint8Array) return `${input.byteLength} IPC bytes`;
  if (isTable(input)) return `table, ${input.numRows} rows`;
  if (isRecordBatch(input)) return `record batch, ${input.numRows} rows`;
  if (Array.isArray(input)) return `${input.length} record batches`;
  return 'record batches';
}
