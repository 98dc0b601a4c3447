import { withSourceIpc } from '../arrow_passthrough.js';
import { open, type FileHandle } from 'node:fs/promises';
import { UnimplementedError } from '@tsflow/core';
import { type RecordBatch, type Schema, tableFromIPC } from 'apache-arrow';
import type { ColumnarChunk } from '../../pipeline/stage.js';
import { recordBatchToChunk } from '../arrow_columns.js';
import type { ColumnContext } from '../column_options.js';
import { DataLossError, cannotOpen, describeCause } from '../io_errors.js';
import type { ParquetEngine, ParquetFileReader, ParquetReaderOptions } from './engine.js';
import { refuseEncrypted } from './encryption.js';
import { readInt96AsMicroseconds } from './int96_hint.js';
import { type ResolvedSafety, checkChunkPages, checkChunkSize, resolveSafety } from './page_checks.js';
import type { ParquetFooter } from './footer.js';
import { readCachedParquetFooter } from './footer_cache.js';
import { cloneStructExcept } from './thrift_fields.js';
import { type ProjectedFooter, projectFooter, rowGroupFile, schemaOnlyFile } from './row_group_file.js';
import { defaultDecodeThread, parquetDecodeThread } from './decode_thread.js';
import { spareBuffers } from './spare_buffers.js';

type ParquetWasm = typeof import('parquet-wasm');
let wasmModule: Promise<ParquetWasm> | undefined;

/** Loads the WASM module on first use, so that importing @tsflow/data stays cheap. */
export function loadWasm(): Promise<ParquetWasm> {
  wasmModule ??= import('parquet-wasm');
  return wasmModule;
}

/** Codecs the bundled parquet-wasm build decodes. */
const WASM_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'BROTLI', 'LZ4', 'ZSTD', 'LZ4_RAW']);

/**
 * parquet-wasm (arrow-rs compiled to WASM) behind tsflow's own footer handling: tsflow reads the
 * footer, then hands the decoder one row group's projected column chunks at a time (see
 * footer.ts) and gets Arrow back. The synchronous decoder is used on purpose: it reports
 * corrupt pages as errors, where the async stream reader of this version panics uncatchably.
 */
export const parquetWasmEngine: ParquetEngine = {
  name: 'parquet-wasm',
  async open(path: string, options: ParquetReaderOptions = {}): Promise<ParquetFileReader> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      throw cannotOpen('Parquet file', path, error);
    }
    try {
      const wasm = await loadWasm();
      const { footer, schema } = readerFooter(wasm, await readCachedParquetFooter(handle, path));
      return new WasmFileReader(
        wasm,
        handle,
        footer,
        schema,
        resolveSafety(options),
        options.decodeThread ?? defaultDecodeThread(),
      );
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  },
};

/** A Parquet file's schema as Arrow types (from its footer, whatever engine reads the data). @internal */
export async function readParquetArrowSchema(path: string): Promise<Schema> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw cannotOpen('Parquet file', path, error);
  }
  try {
    return readArrowSchema(await loadWasm(), await readCachedParquetFooter(handle, path));
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** The footer a reader decodes with (INT96 hint applied) and its Arrow schema, per cached footer. */
const readerFooters = new WeakMap<ParquetFooter, { footer: ParquetFooter; schema: Schema }>();

function readerFooter(wasm: ParquetWasm, cached: ParquetFooter): { footer: ParquetFooter; schema: Schema } {
  let prepared = readerFooters.get(cached);
  if (prepared === undefined) {
    // The hint is written into a copy: the cached footer is shared.
    const footer = { ...cached, metadata: cloneStructExcept(cached.metadata, 4) };
    let schema = readArrowSchema(wasm, footer);
    if (readInt96AsMicroseconds(footer, schema)) schema = readArrowSchema(wasm, footer);
    prepared = { footer: Object.freeze(footer), schema };
    readerFooters.set(cached, prepared);
  }
  return prepared;
}

function readArrowSchema(wasm: ParquetWasm, footer: ParquetFooter): Schema {
  try {
    return tableFromIPC(wasm.readSchema(schemaOnlyFile(footer)).intoIPCStream()).schema;
  } catch (error) {
    throw new DataLossError(`Parquet file '${footer.path}' has a schema that can't be read: ${describeCause(error)}`);
  }
}

const footerProjections = new WeakMap<ParquetFooter, Map<string, ProjectedFooter>>();

class WasmFileReader implements ParquetFileReader {
  readonly columnNames: readonly string[];
  readonly columnTypes: Readonly<Record<string, string>>;
  readonly rowGroupRows: readonly number[];
  readonly decodesAhead: boolean;
  /** Per reader footer, so readers of one cached footer (one per task) share them. */
  private readonly projections: Map<string, ProjectedFooter>;
  /** The last row group read requested: reads run one after another, in request order. */
  private lastRead: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly wasm: ParquetWasm,
    private readonly handle: FileHandle,
    private readonly footer: ParquetFooter,
    schema: Schema,
    private readonly safety: ResolvedSafety,
    /** Decode on the shared decode thread (see decode_thread.ts) when it is ready. */
    private readonly threaded: boolean,
  ) {
    this.columnNames = schema.fields.map((field) => field.name);
    this.columnTypes = Object.fromEntries(schema.fields.map((field) => [field.name, String(field.type)]));
    this.rowGroupRows = footer.rowGroups.map((rowGroup) => rowGroup.numRows);
    let projections = footerProjections.get(footer);
    if (projections === undefined) footerProjections.set(footer, (projections = new Map()));
    this.projections = projections;
    // With one row group there is nothing to decode while the caller consumes.
    this.decodesAhead = threaded && this.rowGroupRows.length > 1;
    if (this.decodesAhead) parquetDecodeThread.warmUp();
  }

  get path(): string {
    return this.footer.path;
  }

  async *readRowGroup(
    index: number,
    columns: readonly string[],
    firstRow: number,
    chunkRows: number,
    ctx: ColumnContext,
  ): AsyncIterable<ColumnarChunk> {
    if (this.rowGroupRows[index] === 0) return;
    const projected = this.projection(columns);
    this.checkCodecs(index, projected);
    const bytes = await this.inReadOrder(() =>
      rowGroupFile(
        this.handle,
        projected,
        index,
        (chunkBytes, chunk) => checkChunkPages(chunkBytes, this.path, index, chunk, this.safety),
        spareBuffers.allocate,
      ),
    );
    let batches: RecordBatch[];
    let ipc: Uint8Array;
    try {
      // A copy takes the row group whole: one batch, whose IPC bytes go to the encoder as they are.
      ipc = await this.decodeToIpc(bytes, firstRow, ctx.arrowOnly ? this.rowGroupRows[index]! : chunkRows);
      batches = tableFromIPC(ipc).batches;
    } catch (error) {
      // A dead decode thread says nothing about the file.
      if (error instanceof DataLossError) throw error;
      const broken = await this.findBrokenColumn(index, columns);
      throw new DataLossError(
        `Parquet file '${this.path}' row group ${index}${broken === undefined ? '' : `, column '${broken}'`} is corrupt or truncated: ${describeCause(error)}`,
      );
    }
    if (ctx.arrowOnly && batches.length === 1) {
      yield withSourceIpc(recordBatchToChunk(batches[0]!, { ...ctx, firstRow }, columns), batches[0]!, ipc);
      return;
    }
    let row = firstRow;
    for (const batch of batches) {
      if (batch.numRows > 0) yield recordBatchToChunk(batch, { ...ctx, firstRow: row }, columns);
      row += batch.numRows;
    }
  }

  /**
   * Runs `read` once the reads requested before it are done, so that row groups are read, and
   * so sent to the decoders, in the order they were asked for: the one the caller needs now
   * first, then the read-aheads.
   */
  private inReadOrder<T>(read: () => Promise<T>): Promise<T> {
    const result = this.lastRead.then(read, read);
    this.lastRead = result.catch(() => undefined);
    return result;
  }

  /**
   * On a decode thread once one is ready (it loads WASM in ~0.2 s), else on this one; either way
   * `bytes`' buffer is then free to read the next row group into.
   */
  private async decodeToIpc(bytes: Uint8Array, firstRow: number, chunkRows: number): Promise<Uint8Array> {
    if (this.threaded && parquetDecodeThread.isReady) {
      const { ipc, spare } = await parquetDecodeThread.decode(bytes, firstRow, chunkRows);
      spareBuffers.give(spare);
      return ipc;
    }
    const ipc = this.decode(bytes, firstRow, chunkRows);
    spareBuffers.give(bytes.buffer);
    return ipc;
  }

  private decode(bytes: Uint8Array, firstRow: number, chunkRows: number): Uint8Array {
    return this.wasm.readParquet(bytes, { batchSize: chunkRows, offset: firstRow }).intoIPCStream();
  }

  /** On failure only: decodes column by column to name the broken one. */
  private async findBrokenColumn(index: number, columns: readonly string[]): Promise<string | undefined> {
    if (columns.length === 1) return columns[0];
    for (const column of columns) {
      try {
        this.decode(await rowGroupFile(this.handle, this.projection([column]), index), 0, 1 << 20);
      } catch {
        return column;
      }
    }
    return undefined;
  }

  /** Refuses, before any data is read, what can't be decoded or would exceed the size limits. */
  private checkCodecs(index: number, projected: ProjectedFooter): void {
    const chunks = this.footer.rowGroups[index]!.chunks;
    refuseEncrypted(
      this.footer,
      [...projected.leaves].map((leaf) => chunks[leaf]!),
    );
    for (const leaf of projected.leaves) {
      const chunk = chunks[leaf]!;
      checkChunkSize(this.path, index, chunk, this.safety);
      if (!WASM_CODECS.has(chunk.codec)) {
        throw new UnimplementedError(
          `Parquet file '${this.path}' column '${chunk.path}' is compressed with ${chunk.codec}, which the parquet-wasm engine can't decode; try { engine: 'hyparquet' }`,
        );
      }
    }
  }

  private projection(columns: readonly string[]): ProjectedFooter {
    const key = columns.join('\u0000');
    let projected = this.projections.get(key);
    if (!projected) {
      const all = columns.length === this.columnNames.length && columns.every((c, i) => c === this.columnNames[i]);
      projected = projectFooter(this.footer, all ? undefined : columns);
      this.projections.set(key, projected);
    }
    return projected;
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}
