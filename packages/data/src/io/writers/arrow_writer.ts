import { open } from 'node:fs/promises';
import { InvalidArgumentError } from '@tsflow/core';
import { type RecordBatch, RecordBatchFileWriter, RecordBatchStreamWriter } from 'apache-arrow';
import { writeAtomically } from './atomic_file.js';
import { RecordBatchAssembler, type SinkInputMode } from './record_batch_assembler.js';
import type { WriteResult } from './parquet_writer.js';

export interface WriteArrowOptions {
  /** `'file'` (random access, `.arrow`/Feather v2, default) or `'stream'` (`.arrows`). */
  format?: 'file' | 'stream';
  /** Rows per record batch when writing rows (default 65536); batches are written as they come. */
  batchSize?: number;
  input?: SinkInputMode;
}

/**
 * Streams rows or columnar batches into an Arrow IPC file or stream, all or nothing via `writeAtomically`.
 *
 * @example
 * await writeArrow(ds, 'out.arrow');
 */
export async function writeArrow(elements: AsyncIterable<unknown>, path: string, options: WriteArrowOptions = {}): Promise<WriteResult> {
  const format = options.format ?? 'file';
  if (format !== 'file' && format !== 'stream') {
    throw new InvalidArgumentError(`writeArrow: format must be 'file' or 'stream', got ${JSON.stringify(format)}`);
  }
  const assembler = new RecordBatchAssembler(options.batchSize ?? 65_536, options.input, 'writeArrow', 'batchSize');
  return writeAtomically('writeArrow', path, async (tmpPath) => {
    const writer = format === 'file' ? new RecordBatchFileWriter() : new RecordBatchStreamWriter();
    const file = await open(tmpPath, 'w');
    // The writer is a queue of encoded bytes; this loop moves them to disk as they come.
    const flushing = (async () => {
      for await (const bytes of writer) await file.write(bytes);
    })();
    let rows = 0;
    const write = (batches: readonly RecordBatch[]) => {
      for (const batch of batches) {
        writer.write(batch);
        rows += batch.numRows;
      }
    };
    try {
      for await (const element of elements) write(assembler.add(element));
      write(assembler.finish());
      if (rows === 0) throw new InvalidArgumentError(`writeArrow('${path}'): the dataset produced no rows, so there is no schema to write`);
      writer.finish();
      await flushing;
    } catch (error) {
      writer.close();
      await flushing.catch(() => undefined);
      throw error;
    } finally {
      await file.close();
    }
    return { path, rows };
  });
}
