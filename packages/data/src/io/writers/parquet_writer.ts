import { open } from 'node:fs/promises';
import { InvalidArgumentError } from '@tsflow/core';
import { type RecordBatch, Table, tableToIPC } from 'apache-arrow';
import { loadWasm } from '../parquet/wasm_engine.js';
import { writeAtomically } from './atomic_file.js';
import { RecordBatchAssembler, type SinkInputMode } from './record_batch_assembler.js';

export type ParquetCompression = 'none' | 'snappy' | 'gzip' | 'zstd' | 'brotli' | 'lz4';

export interface WriteParquetOptions {
  /** Codec of every column (default `'snappy'`, what pyarrow and Spark default to). */
  compression?: ParquetCompression;
  /** Rows per row group (default 65536); also the most rows the sink buffers. */
  rowGroupSize?: number;
  /**
   * Dictionary-encode columns (default true, like pyarrow and DuckDB: much smaller files for
   * repetitive values). `false` writes plain pages, which the parquetjs-lite engine needs.
   */
  dictionary?: boolean;
  /** Whether elements are rows or columnar batches (default: detected from the first). */
  input?: SinkInputMode;
}

export interface WriteResult {
  readonly path: string;
  readonly rows: number;
}

const COMPRESSION_IDS: Record<ParquetCompression, number> = { none: 0, snappy: 1, gzip: 2, brotli: 3, zstd: 5, lz4: 6 };

/**
 * Streams rows or columnar batches into a standard Parquet file (written by arrow-rs through
 * parquet-wasm, one row group per `rowGroupSize` rows), all or nothing via `writeAtomically`.
 *
 * @example
 * await writeParquet(ds, 'out.parquet', { compression: 'zstd', rowGroupSize: 100_000 });
 */
export async function writeParquet(elements: AsyncIterable<unknown>, path: string, options: WriteParquetOptions = {}): Promise<WriteResult> {
  const compression = options.compression ?? 'snappy';
  // Case-insensitive, and 'uncompressed' (Parquet's own name) means 'none'.
  const normalized = String(compression).toLowerCase();
  const codec = COMPRESSION_IDS[(normalized === 'uncompressed' ? 'none' : normalized) as ParquetCompression];
  if (codec === undefined) {
    throw new InvalidArgumentError(`writeParquet: unknown compression ${JSON.stringify(compression)}; expected one of ${Object.keys(COMPRESSION_IDS).join(', ')}`);
  }
  const rowGroupSize = options.rowGroupSize ?? 65_536;
  const assembler = new RecordBatchAssembler(rowGroupSize, options.input, 'writeParquet', 'rowGroupSize');
  const wasm = await loadWasm();
  return writeAtomically('writeParquet', path, async (tmpPath) => {
    const batches = batchesOf(elements, assembler);
    const first = await batches.next();
    if (first.done) throw new InvalidArgumentError(`writeParquet('${path}'): the dataset produced no rows, so there is no schema to write`);
    let rows = 0;
    let failure: unknown;
    const toWasm = (batch: RecordBatch) => {
      rows += batch.numRows;
      const table = wasm.Table.fromIPCStream(tableToIPC(new Table(batch), 'stream'));
      const wasmBatch = table.recordBatch(0);
      table.free();
      return wasmBatch;
    };
    let pendingFirst: RecordBatch | undefined = first.value;
    // A failure upstream ends the stream normally (the WASM writer does not survive an erroring
    // input stream); the error is rethrown below and the temporary file removed.
    const source = new ReadableStream(
      {
        async pull(controller) {
          try {
            const batch = pendingFirst ?? (await batches.next()).value;
            pendingFirst = undefined;
            if (batch === undefined) controller.close();
            else controller.enqueue(toWasm(batch));
          } catch (error) {
            failure = error;
            controller.close();
          }
        },
      },
      { highWaterMark: 0 },
    );
    const properties = new wasm.WriterPropertiesBuilder()
      .setCompression(codec)
      .setMaxRowGroupSize(rowGroupSize)
      .setDictionaryEnabled(options.dictionary ?? true)
      .setCreatedBy('tsflow (parquet-wasm)')
      .build();
    const bytes = await wasm.transformParquetStream(source, properties);
    await copyToFile(bytes as ReadableStream<Uint8Array>, tmpPath);
    if (failure !== undefined) throw failure;
    return { path, rows };
  });
}

/**
 * Writes each piece as soon as it is produced, holding no reference afterwards: the pieces
 * are fresh off-heap buffers, and short-lived ones are reclaimed by the young-generation GC
 * instead of piling up until a full GC.
 */
async function copyToFile(bytes: ReadableStream<Uint8Array>, path: string): Promise<void> {
  const file = await open(path, 'w');
  const reader = bytes.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      await file.write(value);
    }
  } finally {
    reader.releaseLock();
    await file.close();
  }
}

async function* batchesOf(elements: AsyncIterable<unknown>, assembler: RecordBatchAssembler): AsyncGenerator<RecordBatch, undefined> {
  for await (const element of elements) yield* assembler.add(element);
  yield* assembler.finish();
  return undefined;
}
