import type { ColumnarChunk } from '../../pipeline/stage.js';
import type { ColumnContext } from '../column_options.js';
import type { ParquetSafetyOptions } from './page_checks.js';

/** The Parquet decoders `fromParquet` can use; `auto` is parquet-wasm (see README "Engines"). */
export type ParquetEngineName = 'parquet-wasm' | 'hyparquet' | 'parquetjs-lite';
export type ParquetEngineOption = 'auto' | ParquetEngineName;

/** One open Parquet file, read one row group at a time. @internal */
export interface ParquetFileReader {
  readonly path: string;
  /** Top-level column names in file order. */
  readonly columnNames: readonly string[];
  /** A type description per top-level column, compared across files of one source. */
  readonly columnTypes: Readonly<Record<string, string>>;
  /** Rows in each row group. */
  readonly rowGroupRows: readonly number[];
  /**
   * Whether decoding runs off the calling thread, so that starting the next row group's
   * `readRowGroup` while this one is consumed overlaps work (the source then reads one ahead).
   */
  readonly decodesAhead?: boolean;
  /**
   * Decodes row group `index` (only `columns`, in that order) from row `firstRow` on, in
   * chunks of at most `chunkRows` rows. Only this row group's column chunks are read.
   */
  readRowGroup(
    index: number,
    columns: readonly string[],
    firstRow: number,
    chunkRows: number,
    ctx: ColumnContext,
  ): AsyncIterable<ColumnarChunk>;
  close(): Promise<void>;
}

/** What `open` honours: checksum and size limits, and (parquet-wasm only) the decode thread. @internal */
export interface ParquetReaderOptions extends ParquetSafetyOptions {
  /** Decode row groups on a worker thread while the caller consumes the previous one. */
  decodeThread?: boolean;
}

export interface ParquetEngine {
  readonly name: ParquetEngineName;
  /** `options`: checksum and size limits (honoured by parquet-wasm, which reads pages through tsflow). */
  open(path: string, options?: ParquetReaderOptions): Promise<ParquetFileReader>;
}
