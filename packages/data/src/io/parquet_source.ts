import { InvalidArgumentError, NotFoundError } from '@tsflow/core';
import type { ColumnarChunk, Stage, StageIterator, StageState } from '../pipeline/stage.js';
import { beyondData, readCount } from '../pipeline/state_fields.js';
import { type ChunkReader, ChunkRowIterator, ChunkStageIterator, type PositionedChunk } from './chunk_stage.js';
import { type ColumnContext, type ColumnReadOptions, checkReadOptions, valuesUnchanged } from './column_options.js';
import type { ChunkPassOptions } from './arrow_passthrough.js';
import { parquetFileInfo } from './parquet_info.js';
import { readParquetArrowSchema } from './parquet/wasm_engine.js';
import type { SinkSourceInfo } from './source_info.js';
import { expandGlob, hasGlob } from './glob.js';
import type { ParquetEngine, ParquetEngineOption, ParquetFileReader } from './parquet/engine.js';
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
    if (typeof paths !== 'string' && (!Array.isArray(paths) || paths.length === 0 || paths.some((p) => typeof p !== 'string'))) {
      throw new InvalidArgumentError(`fromParquet: expected a path, a glob or a non-empty array of paths, got ${JSON.stringify(paths)}`);
    }
    this.engine = resolveParquetEngine(options.engine);
    this.chunkRows = options.batchSize ?? DEFAULT_CHUNK_ROWS;
    if (!Number.isInteger(this.chunkRows) || this.chunkRows <= 0) {
      throw new InvalidArgumentError(`fromParquet: batchSize must be a positive integer, got ${options.batchSize}`);
    }
    checkReadOptions('fromParquet', options);
    checkSafetyOptions('fromParquet', options);
    const { rowGroups } = options;
    if (rowGroups !== undefined && (!Array.isArray(rowGroups) || rowGroups.some((index) => !Number.isInteger(index) || index < 0))) {
      throw new InvalidArgumentError(`fromParquet: rowGroups must be an array of row group indices (integers from 0), got ${JSON.stringify(rowGroups)}`);
    }
    const what = typeof paths === 'string' ? `'${paths}'` : paths.length === 1 ? `'${paths[0]}'` : `${paths.length} files`;
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
    return new ChunkStageIterator(this, this.reader(state, options.arrowOnly === true && valuesUnchanged(this.options)));
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

interface Position {
  file: number;
  rowGroup: number;
  row: number;
}

/** Walks files → selected row groups → chunks, checking every file against the first one's schema. */
class ParquetChunkReader implements ChunkReader {
  readonly initialState: StageState;
  private files: string[] | undefined;
  private reader: ParquetFileReader | undefined;
  private chunks: AsyncIterator<ColumnarChunk> | undefined;
  private columns: readonly string[] | undefined;
  private reference: { path: string; types: Readonly<Record<string, string>> } | undefined;
  private position: Position;
  private closed = false;
  /** The resumed-from position is checked against the files once they are open. */
  private startUnchecked: boolean;

  constructor(
    private readonly source: ParquetSource,
    private readonly engine: ParquetEngine,
    start: Position,
    private readonly options: ParquetSourceOptions,
    private readonly chunkRows: number,
    private readonly pass: { arrowOnly: boolean; forRows: boolean },
  ) {
    this.initialState = { ...start };
    this.position = { ...start };
    this.columns = options.columns;
    this.startUnchecked = start.file > 0 || start.rowGroup > 0 || start.row > 0;
  }

  async next(): Promise<PositionedChunk | undefined> {
    this.files ??= await this.source.files();
    while (!this.closed) {
      if (this.chunks === undefined && !(await this.openRowGroup())) return undefined;
      const result = await this.chunks!.next();
      if (result.done) {
        this.chunks = undefined;
        this.position = { file: this.position.file, rowGroup: this.position.rowGroup + 1, row: 0 };
        continue;
      }
      const chunk = result.value;
      const { file, rowGroup, row } = this.position;
      const rowGroupRows = this.reader!.rowGroupRows[rowGroup]!;
      this.position = { file, rowGroup, row: row + chunk.numRows };
      return {
        chunk,
        stateAt: (rows) => (row + rows >= rowGroupRows ? { file, rowGroup: rowGroup + 1, row: 0 } : { file, rowGroup, row: row + rows }),
      };
    }
    return undefined;
  }

  /** Moves `position` to the next row group with rows left and starts decoding it. */
  private async openRowGroup(): Promise<boolean> {
    const files = this.files!;
    for (;;) {
      if (this.startUnchecked && this.position.file > files.length) {
        throw beyondData(this.source.label, 'file', this.position.file, `${files.length} file${files.length === 1 ? '' : 's'}`);
      }
      if (this.position.file >= files.length) return false;
      if (this.reader === undefined) {
        this.reader = await this.engine.open(files[this.position.file]!, this.options);
        this.checkSchema(this.reader);
      }
      if (this.startUnchecked) this.checkStart(this.reader);
      const rowGroup = this.nextSelectedRowGroup(this.reader, this.position.rowGroup);
      if (rowGroup === undefined) {
        await this.reader.close();
        this.reader = undefined;
        this.position = { file: this.position.file + 1, rowGroup: 0, row: 0 };
        continue;
      }
      if (rowGroup !== this.position.rowGroup) this.position = { file: this.position.file, rowGroup, row: 0 };
      if (this.position.row >= this.reader.rowGroupRows[rowGroup]!) {
        this.position = { file: this.position.file, rowGroup: rowGroup + 1, row: 0 };
        continue;
      }
      const ctx: ColumnContext = { where: `${this.source.label}: file '${this.reader.path}' row group ${rowGroup}`, options: this.options, ...this.pass };
      this.chunks = this.reader.readRowGroup(rowGroup, this.columns!, this.position.row, this.chunkRows, ctx)[Symbol.asyncIterator]();
      return true;
    }
  }

  /** A resumed position must lie within the file it names (a row group, a row of it, or its end). */
  private checkStart(reader: ParquetFileReader): void {
    this.startUnchecked = false;
    const { rowGroup, row } = this.position;
    const groups = reader.rowGroupRows;
    const where = `file '${reader.path}'`;
    if (rowGroup > groups.length) throw beyondData(this.source.label, 'rowGroup', rowGroup, `${where} has ${groups.length} row groups`);
    const rows = groups[rowGroup] ?? 0;
    if (row > rows) throw beyondData(this.source.label, 'row', row, `row group ${rowGroup} of ${where} has ${rows} rows`);
  }

  private nextSelectedRowGroup(reader: ParquetFileReader, from: number): number | undefined {
    const count = reader.rowGroupRows.length;
    const selected = this.options.rowGroups;
    for (let index = from; index < count; index++) {
      if (selected === undefined || selected.includes(index)) return index;
    }
    if (selected !== undefined) {
      const missing = selected.find((index) => index >= count);
      if (missing !== undefined) {
        throw new InvalidArgumentError(`${this.source.label}: row group ${missing} does not exist in file '${reader.path}', which has ${count}`);
      }
    }
    return undefined;
  }

  /** Every file must have the projected columns, with the types of the first file read. */
  private checkSchema(reader: ParquetFileReader): void {
    const available = reader.columnNames;
    this.columns ??= available;
    for (const column of this.columns) {
      if (!available.includes(column)) {
        const first = this.reference ? ` (the first file, '${this.reference.path}', has it)` : '';
        throw new NotFoundError(
          `${this.source.label}: column '${column}' not found in file '${reader.path}'${first}; its columns are ${available.join(', ')}`,
        );
      }
    }
    if (this.reference === undefined) {
      this.reference = { path: reader.path, types: reader.columnTypes };
      return;
    }
    for (const column of this.columns) {
      const expected = this.reference.types[column];
      const actual = reader.columnTypes[column];
      if (expected !== actual) {
        throw new InvalidArgumentError(
          `${this.source.label}: schema mismatch across files: column '${column}' is ${expected} in '${this.reference.path}' but ${actual} in '${reader.path}'`,
        );
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.chunks?.return?.();
    this.chunks = undefined;
    await this.reader?.close();
    this.reader = undefined;
  }
}
