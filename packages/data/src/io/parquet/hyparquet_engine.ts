import { stat } from 'node:fs/promises';
import type { ColumnarChunk } from '../../pipeline/stage.js';
import type { ColumnContext } from '../column_options.js';
import { DataLossError, cannotOpen, describeCause } from '../io_errors.js';
import { type JsColumnKind, jsChunk, jsColumnKind } from '../js_columns.js';
import type { ParquetEngine, ParquetFileReader } from './engine.js';
import { sliceChunk } from '../chunk_rows.js';

type Hyparquet = typeof import('hyparquet');
type FileMetaData = Awaited<ReturnType<Hyparquet['parquetMetadataAsync']>>;
type AsyncBuffer = Parameters<Hyparquet['parquetMetadataAsync']>[0];
type SchemaTree = ReturnType<Hyparquet['parquetSchema']>;

/**
 * hyparquet: a pure-JS Parquet reader (all codecs with hyparquet-compressors). It decodes to
 * JS arrays, not Arrow, so fixed-size lists come back as per-row arrays (it does not use the
 * Arrow schema stored in the file). Slower than parquet-wasm (see README "Engines").
 */
export const hyparquetEngine: ParquetEngine = {
  name: 'hyparquet',
  async open(path: string): Promise<ParquetFileReader> {
    const hyparquet = await import('hyparquet');
    const { compressors } = await import('hyparquet-compressors');
    try {
      await stat(path);
    } catch (error) {
      throw cannotOpen('Parquet file', path, error);
    }
    let file: AsyncBuffer;
    let metadata: FileMetaData;
    try {
      file = await hyparquet.asyncBufferFromFile(path);
      metadata = await hyparquet.parquetMetadataAsync(file);
      const head = Buffer.from(await file.slice(0, 4)).toString('latin1');
      if (head !== 'PAR1') throw new Error(`it starts with ${JSON.stringify(head)}, not "PAR1"`);
    } catch (error) {
      throw new DataLossError(
        `Parquet file '${path}' is truncated or corrupt (its footer can't be read): ${describeCause(error)}`,
      );
    }
    return new HyparquetFileReader(hyparquet, compressors, path, file, metadata);
  },
};

class HyparquetFileReader implements ParquetFileReader {
  readonly columnNames: readonly string[];
  readonly columnTypes: Readonly<Record<string, string>>;
  readonly rowGroupRows: readonly number[];
  private readonly kinds: Readonly<Record<string, JsColumnKind>>;
  private readonly rowGroupStarts: number[] = [];

  constructor(
    private readonly hyparquet: Hyparquet,
    private readonly compressors: unknown,
    readonly path: string,
    private readonly file: AsyncBuffer,
    private readonly metadata: FileMetaData,
  ) {
    const schema = hyparquet.parquetSchema(metadata);
    this.columnNames = schema.children.map((child) => child.element.name);
    this.columnTypes = Object.fromEntries(schema.children.map((child) => [child.element.name, describeType(child)]));
    this.kinds = Object.fromEntries(schema.children.map((child) => [child.element.name, kindOf(child)]));
    this.rowGroupRows = metadata.row_groups.map((rowGroup) => Number(rowGroup.num_rows));
    let start = 0;
    for (const rows of this.rowGroupRows) {
      this.rowGroupStarts.push(start);
      start += rows;
    }
  }

  async *readRowGroup(
    index: number,
    columns: readonly string[],
    firstRow: number,
    chunkRows: number,
    ctx: ColumnContext,
  ): AsyncIterable<ColumnarChunk> {
    const start = this.rowGroupStarts[index]! + firstRow;
    const end = this.rowGroupStarts[index]! + this.rowGroupRows[index]!;
    if (start >= end) return;
    // hyparquet decodes whole column chunks, so the row group is read once and then sliced.
    const raw = await this.readRange(index, columns, start, end);
    const whole = jsChunk(raw, this.kinds, columns, end - start, { ...ctx, firstRow });
    for (let from = 0; from < end - start; from += chunkRows) {
      yield sliceChunk(whole, from, Math.min(end - start, from + chunkRows));
    }
  }

  /** Rows [from, to) of the columns, assembled from hyparquet's column chunks. */
  private async readRange(
    index: number,
    columns: readonly string[],
    from: number,
    to: number,
  ): Promise<Record<string, unknown[]>> {
    const raw: Record<string, unknown[]> = Object.fromEntries(columns.map((column) => [column, new Array(to - from)]));
    const delivered: Record<string, number> = Object.fromEntries(columns.map((column) => [column, 0]));
    try {
      await this.hyparquet.parquetRead({
        file: this.file,
        metadata: this.metadata,
        columns: columns as string[],
        rowStart: from,
        rowEnd: to,
        compressors: this.compressors as never,
        onChunk: ({ columnName, columnData, rowStart, rowEnd }) => {
          const target = raw[columnName];
          if (!target) return;
          const lo = Math.max(rowStart, from);
          const hi = Math.min(rowEnd, to, rowStart + columnData.length);
          for (let row = lo; row < hi; row++) target[row - from] = columnData[row - rowStart];
          delivered[columnName]! += Math.max(0, hi - lo);
        },
      });
    } catch (error) {
      throw new DataLossError(
        `Parquet file '${this.path}' row group ${index} (columns ${columns.join(', ')}) can't be decoded by hyparquet: ${describeCause(error)}`,
      );
    }
    // hyparquet leaves rows the pages lack unfilled; they must not pass as nulls.
    for (const column of columns) {
      if (delivered[column]! < to - from) {
        throw new DataLossError(
          `Parquet file '${this.path}' row group ${index}, column '${column}' is truncated or corrupt: it holds ${delivered[column]} of the ${to - from} rows its footer promises`,
        );
      }
    }
    return raw;
  }

  async close(): Promise<void> {}
}

function kindOf(node: SchemaTree): JsColumnKind {
  const { type, converted_type: converted, logical_type: logical } = node.element;
  return jsColumnKind(type, logical?.type ?? converted, node.children.length > 0);
}

function describeType(node: SchemaTree): string {
  const { type, converted_type: converted, logical_type: logical } = node.element;
  const inner = node.children.map(describeType).join(', ');
  return `${type ?? 'GROUP'}${logical ? `/${logical.type}` : converted ? `/${converted}` : ''}${inner ? `<${inner}>` : ''}`;
}
