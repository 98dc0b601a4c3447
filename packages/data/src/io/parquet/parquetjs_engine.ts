import { stat } from 'node:fs/promises';
import type { ColumnarChunk } from '../../pipeline/stage.js';
import type { ColumnContext } from '../column_options.js';
import { DataLossError, cannotOpen, describeCause } from '../io_errors.js';
import { type JsColumnKind, jsChunk, jsColumnKind } from '../js_columns.js';
import type { ParquetEngine, ParquetFileReader } from './engine.js';

/** The parts of parquetjs-lite (untyped CommonJS) this engine uses. */
interface ParquetjsField {
  primitiveType?: string;
  originalType?: string;
  fields?: Record<string, ParquetjsField>;
}
interface ParquetjsCursor {
  rowGroupIndex: number;
  next(): Promise<Record<string, unknown> | null>;
}
interface ParquetjsReader {
  metadata: { row_groups: { num_rows: unknown }[] };
  getSchema(): { fields: Record<string, ParquetjsField> };
  getCursor(columns?: string[]): ParquetjsCursor;
  close(): Promise<void>;
}

/**
 * parquetjs-lite: the pure-JS reader named on the original card, kept for compatibility. It is
 * far slower than parquet-wasm, reads row objects (converted back to columns here), and can't
 * read ZSTD or the RLE_DICTIONARY pages most current writers produce (README "Engines").
 */
export const parquetjsEngine: ParquetEngine = {
  name: 'parquetjs-lite',
  async open(path: string): Promise<ParquetFileReader> {
    try {
      await stat(path);
    } catch (error) {
      throw cannotOpen('Parquet file', path, error);
    }
    const parquetjs = (
      (await import('parquetjs-lite')) as {
        default: { ParquetReader: { openFile(path: string): Promise<ParquetjsReader> } };
      }
    ).default;
    let reader: ParquetjsReader;
    try {
      reader = await parquetjs.ParquetReader.openFile(path);
    } catch (error) {
      throw new DataLossError(
        `Parquet file '${path}' can't be opened by parquetjs-lite (truncated, corrupt or unsupported): ${describeCause(error)}`,
      );
    }
    return new ParquetjsFileReader(path, reader);
  },
};

class ParquetjsFileReader implements ParquetFileReader {
  readonly columnNames: readonly string[];
  readonly columnTypes: Readonly<Record<string, string>>;
  readonly rowGroupRows: readonly number[];
  private readonly kinds: Readonly<Record<string, JsColumnKind>>;

  constructor(
    readonly path: string,
    private readonly reader: ParquetjsReader,
  ) {
    const fields = reader.getSchema().fields;
    this.columnNames = Object.keys(fields);
    this.columnTypes = Object.fromEntries(
      Object.entries(fields).map(([name, field]) => [
        name,
        `${field.primitiveType ?? 'GROUP'}${field.originalType ? `/${field.originalType}` : ''}`,
      ]),
    );
    this.kinds = Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, kindOf(field)]));
    this.rowGroupRows = reader.metadata.row_groups.map((rowGroup) => int64ToNumber(rowGroup.num_rows));
  }

  async *readRowGroup(
    index: number,
    columns: readonly string[],
    firstRow: number,
    chunkRows: number,
    ctx: ColumnContext,
  ): AsyncIterable<ColumnarChunk> {
    const cursor = this.reader.getCursor(columns as string[]);
    cursor.rowGroupIndex = index; // the cursor loads row groups lazily from this index on
    const total = this.rowGroupRows[index]!;
    let row = 0;
    const nextRow = async () => {
      try {
        return await cursor.next();
      } catch (error) {
        const reason = describeCause(error);
        const hint = /RLE_DICTIONARY/.test(reason)
          ? " (parquetjs-lite can't read dictionary-encoded pages, which most writers produce: use the default engine, or write with { dictionary: false })"
          : '';
        throw new DataLossError(
          `Parquet file '${this.path}' row group ${index} can't be decoded by parquetjs-lite: ${reason}${hint}`,
        );
      }
    };
    for (; row < firstRow; row++) await nextRow();
    while (row < total) {
      const count = Math.min(chunkRows, total - row);
      const raw: Record<string, unknown[]> = Object.fromEntries(columns.map((column) => [column, new Array(count)]));
      for (let i = 0; i < count; i++) {
        const record = await nextRow();
        if (record === null) {
          throw new DataLossError(
            `Parquet file '${this.path}' row group ${index} is truncated or corrupt: it ends at row ${row + i} of the ${total} rows its footer promises`,
          );
        }
        for (const column of columns) raw[column]![i] = record[column];
      }
      yield jsChunk(raw, this.kinds, columns, count, { ...ctx, firstRow: row });
      row += count;
    }
  }

  async close(): Promise<void> {
    await this.reader.close().catch(() => undefined);
  }
}

function kindOf(field: ParquetjsField): JsColumnKind {
  return jsColumnKind(field.primitiveType, field.originalType, field.fields !== undefined);
}

/** parquetjs-lite gives int64 metadata as node-int64 objects (big-endian buffer + offset). */
function int64ToNumber(value: unknown): number {
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value);
  const { buffer, offset } = value as { buffer: Buffer; offset: number };
  return Number(buffer.readBigInt64BE(offset));
}
