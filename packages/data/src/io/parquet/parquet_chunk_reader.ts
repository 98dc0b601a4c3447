import { InvalidArgumentError, NotFoundError } from '@tsflow/core';
import type { ColumnarChunk, StageState } from '../../pipeline/stage.js';
import { beyondData } from '../../pipeline/state_fields.js';
import type { ChunkReader, PositionedChunk } from '../chunk_stage.js';
import type { ColumnContext } from '../column_options.js';
import type { ParquetEngine, ParquetFileReader } from './engine.js';
import type { ParquetSourceOptions } from '../parquet_source.js';

/** What the reader needs of its source: a label for messages and the files, in order. */
export interface ParquetFiles {
  readonly label: string;
  files(): Promise<string[]>;
}

/** Where a pass stands: file index, row group in it, row in that row group (the resume state). */
export interface Position {
  file: number;
  rowGroup: number;
  row: number;
}

/**
 * Row groups requested ahead of the one being consumed, at most, where the reader decodes off
 * this thread: two keep the decoder busy while the next one's bytes are read from disk.
 */
export const READ_AHEAD_ROW_GROUPS = 2;

/** A row group whose reading started before the caller reached it (its first chunk requested). */
interface ReadAhead {
  rowGroup: number;
  chunks: AsyncIterator<ColumnarChunk>;
  first: Promise<IteratorResult<ColumnarChunk>>;
}

/** Walks files → selected row groups → chunks, checking every file against the first one's schema. @internal */
export class ParquetChunkReader implements ChunkReader {
  readonly initialState: StageState;
  private files: string[] | undefined;
  private reader: ParquetFileReader | undefined;
  private chunks: AsyncIterator<ColumnarChunk> | undefined;
  /** The current row group's first chunk, when it was requested by the read-ahead. */
  private firstChunk: Promise<IteratorResult<ColumnarChunk>> | undefined;
  /** Read-aheads in row group order (see `startReadAhead`). */
  private readonly ahead: ReadAhead[] = [];
  private columns: readonly string[] | undefined;
  private reference: { path: string; types: Readonly<Record<string, string>> } | undefined;
  private position: Position;
  private closed = false;
  /** The resumed-from position is checked against the files once they are open. */
  private startUnchecked: boolean;

  constructor(
    private readonly source: ParquetFiles,
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
      const first = this.firstChunk;
      this.firstChunk = undefined;
      const result = await (first ?? this.chunks!.next());
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
        stateAt: (rows) =>
          row + rows >= rowGroupRows ? { file, rowGroup: rowGroup + 1, row: 0 } : { file, rowGroup, row: row + rows },
      };
    }
    return undefined;
  }

  /** Moves `position` to the next row group with rows left and starts decoding it. */
  private async openRowGroup(): Promise<boolean> {
    const files = this.files!;
    for (;;) {
      if (this.startUnchecked && this.position.file > files.length) {
        throw beyondData(
          this.source.label,
          'file',
          this.position.file,
          `${files.length} file${files.length === 1 ? '' : 's'}`,
        );
      }
      if (this.position.file >= files.length) return false;
      if (this.reader === undefined) {
        this.reader = await this.engine.open(files[this.position.file]!, this.options);
        this.checkSchema(this.reader);
      }
      if (this.startUnchecked) this.checkStart(this.reader);
      const rowGroup = this.nextSelectedRowGroup(this.reader, this.position.rowGroup);
      if (rowGroup === undefined) {
        await this.takeReadAhead(-1);
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
      const ahead = await this.takeReadAhead(rowGroup);
      if (ahead) {
        this.chunks = ahead.chunks;
        this.firstChunk = ahead.first;
      } else {
        this.chunks = this.readRowGroup(this.reader, rowGroup, this.position.row);
        // Requested before the read-aheads, so that the row group needed first is read and
        // decoded first (it was queued behind them, at the start of every file).
        this.firstChunk = this.chunks.next();
      }
      this.startReadAhead(this.reader, rowGroup);
      return true;
    }
  }

  private readRowGroup(reader: ParquetFileReader, rowGroup: number, firstRow: number): AsyncIterator<ColumnarChunk> {
    const ctx: ColumnContext = {
      where: `${this.source.label}: file '${reader.path}' row group ${rowGroup}`,
      options: this.options,
      ...this.pass,
    };
    return reader.readRowGroup(rowGroup, this.columns!, firstRow, this.chunkRows, ctx)[Symbol.asyncIterator]();
  }

  /**
   * Where the reader decodes off this thread, requests the next selected row groups of the file
   * now (up to READ_AHEAD_ROW_GROUPS past `current`), so they are read and decoded while this
   * one is consumed. Order, errors and resume states are unchanged: their chunks (or errors)
   * are only seen once the caller gets there.
   */
  private startReadAhead(reader: ParquetFileReader, current: number): void {
    if (!reader.decodesAhead) return;
    let last = this.ahead.at(-1)?.rowGroup ?? current;
    while (this.ahead.length < READ_AHEAD_ROW_GROUPS) {
      let next: number | undefined;
      try {
        next = this.nextSelectedRowGroup(reader, last + 1);
      } catch {
        return; // a missing selected row group is reported when the caller gets there
      }
      if (next === undefined) return;
      last = next;
      if (reader.rowGroupRows[next] === 0) continue;
      const chunks = this.readRowGroup(reader, next, 0);
      const first = chunks.next();
      first.catch(() => undefined); // surfaces when taken; until then it must not count as unhandled
      this.ahead.push({ rowGroup: next, chunks, first });
    }
  }

  /** The oldest read-ahead if it is `rowGroup` from its first row; otherwise all are dropped. */
  private async takeReadAhead(rowGroup: number): Promise<ReadAhead | undefined> {
    const head = this.ahead[0];
    if (head !== undefined && head.rowGroup === rowGroup && this.position.row === 0) return this.ahead.shift();
    const dropped = this.ahead.splice(0);
    for (const ahead of dropped) await ahead.chunks.return?.();
    return undefined;
  }

  /** A resumed position must lie within the file it names (a row group, a row of it, or its end). */
  private checkStart(reader: ParquetFileReader): void {
    this.startUnchecked = false;
    const { rowGroup, row } = this.position;
    const groups = reader.rowGroupRows;
    const where = `file '${reader.path}'`;
    if (rowGroup > groups.length)
      throw beyondData(this.source.label, 'rowGroup', rowGroup, `${where} has ${groups.length} row groups`);
    const rows = groups[rowGroup] ?? 0;
    if (row > rows)
      throw beyondData(this.source.label, 'row', row, `row group ${rowGroup} of ${where} has ${rows} rows`);
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
        throw new InvalidArgumentError(
          `${this.source.label}: row group ${missing} does not exist in file '${reader.path}', which has ${count}`,
        );
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
    this.firstChunk = undefined;
    await this.takeReadAhead(-1);
    await this.chunks?.return?.();
    this.chunks = undefined;
    await this.reader?.close();
    this.reader = undefined;
  }
}
