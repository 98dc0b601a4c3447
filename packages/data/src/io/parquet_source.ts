import { InvalidArgumentError } from '@tsflow/core';
import type { ColumnarChunk, Stage, StageIterator, StageState } from '../pipeline/stage.js';
import { readCount } from '../pipeline/state_fields.js';
import { type ChunkReader, ChunkRowIterator, ChunkStageIterator } from './chunk_stage.js';
import { ParquetChunkReader } from './parquet/parquet_chunk_reader.js';
import { type ColumnReadOptions, checkReadOptions, valuesUnchanged } from './column_options.js';
import type { ChunkPassOptions } from './arrow_passthrough.js';
import { parquetFileInfo } from './parquet_info.js';
import { readParquetArrowSchema } from './parquet/wasm_engine.js';
import type { SinkSourceInfo } from './source_info.js';
import { expandGlob, hasGlob } from './glob.js';
import type { ParquetEngine, ParquetEngineOption } from './parquet/engine.js';
import { resolveParquetEngine } from './parquet/engines.js';
import { type ParquetSafetyOptions, checkSafetyOptions } from './parquet/page_checks.js';

export interface ParquetSourceOptions extends ColumnReadOptions, ParquetSafetyOptions {
  /** Read only these columns (only their column chunks are read from disk), in this order. */
  columns?: readonly string[];
  /**
   * Rows per decoded chunk (default 65536): a memory/throughput knob like pyarrow's
   * `iter_batches(batch_size)`. Elements are still rows; use `.batch(n)` to batch them.
   */
  batchSize?: number;
  /** Read only these row groups (indices) of every file. */
  rowGroups?: readonly number[];
  /** Decoder: `'auto'` (parquet-wasm), `'parquet-wasm'`, `'hyparquet'` or `'parquetjs-lite'`. */
  engine?: ParquetEngineOption;
  /**
   * parquet-wasm only: decode the next row group on a worker thread while this one is consumed
   * (default: on when the machine has a second core and TSFLOW_THREADS is not 1).
   */
  decodeThread?: boolean;
}

const DEFAULT_CHUNK_ROWS = 65_536;

/**
 * `Dataset.fromParquet`: rows (objects keyed by column) of one or more Parquet files, in
 * order, one row group at a time. Its state is `{ file, rowGroup, row }`, so a resume
 * seeks straight to the row group without decoding the ones before it.
 *
 * @example
 * const ds = Dataset.fromParquet('data/part-*.parquet', { columns: ['x', 'label'] }).batch(1024);
 */
export class ParquetSource implements Stage<Record<string, unknown>> {
  readonly upstream = [];
  readonly label: string;
  private readonly engine: ParquetEngine;
  private readonly chunkRows: number;

  constructor(
    private readonly paths: string | readonly string[],
    private readonly options: ParquetSourceOptions = {},
  ) {
    if (
      typeof paths !== 'string' &&
      (!Array.isArray(paths) || paths.length === 0 || paths.some((p) => typeof p !== 'string'))
    ) {
      throw new InvalidArgumentError(
        `fromParquet: expected a path, a glob or a non-empty array of paths, got ${JSON.stringify(paths)}`,
      );
    }
    this.engine = resolveParquetEngine(options.engine);
    this.chunkRows = options.batchSize ?? DEFAULT_CHUNK_ROWS;
    if (!Number.isInteger(this.chunkRows) || this.chunkRows <= 0) {
      throw new InvalidArgumentError(`fromParquet: batchSize must be a positive integer, got ${options.batchSize}`);
    }
    checkReadOptions('fromParquet', options);
    checkSafetyOptions('fromParquet', options);
    if (options.decodeThread !== undefined && typeof options.decodeThread !== 'boolean') {
      throw new InvalidArgumentError(
        `fromParquet: decodeThread must be a boolean, got ${JSON.stringify(options.decodeThread)}`,
      );
    }
    const { rowGroups } = options;
    if (
      rowGroups !== undefined &&
      (!Array.isArray(rowGroups) || rowGroups.some((index) => !Number.isInteger(index) || index < 0))
    ) {
      throw new InvalidArgumentError(
        `fromParquet: rowGroups must be an array of row group indices (integers from 0), got ${JSON.stringify(rowGroups)}`,
      );
    }
    const what =
      typeof paths === 'string' ? `'${paths}'` : paths.length === 1 ? `'${paths[0]}'` : `${paths.length} files`;
    const columns = options.columns ? `, columns=[${options.columns.join(',')}]` : '';
    this.label = `ParquetSource(${what}${columns})`;
  }

  /** The files this source reads, in order (globs expanded). */
  async files(): Promise<string[]> {
    if (typeof this.paths !== 'string') return [...this.paths];
    return hasGlob(this.paths) ? expandGlob(this.paths) : [this.paths];
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

  /** The first file's Arrow schema (projected) and the rows of every file, from their footers. */
  async describeForSink(): Promise<SinkSourceInfo> {
    const files = await this.files();
    const schema = files.length > 0 ? await readParquetArrowSchema(files[0]!) : undefined;
    let rows = 0;
    for (const file of files) {
      const { rowGroups } = await parquetFileInfo(file);
      rowGroups.forEach((group, index) => {
        if (this.options.rowGroups === undefined || this.options.rowGroups.includes(index)) rows += group.numRows;
      });
    }
    const columns = this.options.columns;
    return { ...(schema ? { schema: columns ? schema.select([...columns]) : schema } : {}), rows };
  }

  private reader(state: StageState | undefined, arrowOnly = false, forRows = false): ChunkReader {
    const start = {
      file: state === undefined ? 0 : readCount(state, 'file', this.label),
      rowGroup: state === undefined ? 0 : readCount(state, 'rowGroup', this.label),
      row: state === undefined ? 0 : readCount(state, 'row', this.label),
    };
    return new ParquetChunkReader(this, this.engine, start, this.options, this.chunkRows, { arrowOnly, forRows });
  }
}
