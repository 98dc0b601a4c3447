import { InvalidArgumentError } from '@tsflow/core';
import { type RecordBatch, RecordBatchFileWriter, RecordBatchStreamWriter } from 'apache-arrow';
import { writeAtomically } from './atomic_file.js';
import { type SinkSchema, statedTypes } from './column_types.js';
import { RecordBatchAssembler, type SinkInputMode } from './record_batch_assembler.js';
import type { SinkContext, WriteResult } from './parquet_writer.js';
import { type JobProgressOptions, formatBytes, jobProgress } from './sink_progress.js';

export interface WriteArrowOptions extends JobProgressOptions {
  /** `'file'` (random access, `.arrow`/Feather v2, default) or `'stream'` (`.arrows`). */
  format?: 'file' | 'stream';
  /** Rows per record batch when writing rows (default 65536); batches are written as they come. */
  batchSize?: number;
  input?: SinkInputMode;
  /** Output types of named columns, e.g. `{ id: 'int64' }`; a value that doesn't fit is an error naming column and row. */
  schema?: SinkSchema;
}

/**
 * Streams rows or columnar batches into an Arrow IPC file or stream, all or nothing via `writeAtomically`.
 *
 * @example
 * const { rows, bytes } = await writeArrow(ds, 'out.arrow');
 */
export async function writeArrow(
  elements: AsyncIterable<unknown>,
  path: string,
  options: WriteArrowOptions = {},
  context: SinkContext = {},
): Promise<WriteResult> {
  const started = performance.now();
  const format = options.format ?? 'file';
  if (format !== 'file' && format !== 'stream') {
    throw new InvalidArgumentError(`writeArrow: format must be 'file' or 'stream', got ${JSON.stringify(format)}`);
  }
  const types = {
    stated: statedTypes('writeArrow', options.schema),
    ...(context.inherited ? { inherited: context.inherited } : {}),
  };
  const assembler = new RecordBatchAssembler(
    options.batchSize ?? 65_536,
    options.input,
    'writeArrow',
    'batchSize',
    types,
  );
  const progress = jobProgress(`writeArrow ${path}`, options, context.totalRows);
  try {
    const result = await writeAtomically('writeArrow', path, async (_tmpPath, file) => {
      const writer = format === 'file' ? new RecordBatchFileWriter() : new RecordBatchStreamWriter();
      let bytes = 0;
      // The writer is a queue of encoded bytes; this loop moves them to disk as they come.
      const flushing = (async () => {
        for await (const chunk of writer) {
          await file.write(chunk);
          bytes += chunk.byteLength;
        }
      })();
      let rows = 0;
      const write = (batches: readonly RecordBatch[]) => {
        for (const batch of batches) {
          writer.write(batch);
          rows += batch.numRows;
          progress.update(rows, { written: formatBytes(bytes) });
        }
      };
      try {
        for await (const element of elements) write(assembler.add(element));
        write(assembler.finish());
        if (rows === 0)
          throw new InvalidArgumentError(
            `writeArrow('${path}'): the dataset produced no rows, so there is no schema to write`,
          );
        writer.finish();
        await flushing;
      } catch (error) {
        writer.close();
        await flushing.catch(() => undefined);
        throw error;
      }
      return { path, rows, bytes, seconds: (performance.now() - started) / 1000 };
    });
    progress.stop({ written: formatBytes(result.bytes) });
    return result;
  } catch (error) {
    progress.stop({ failed: error instanceof Error ? error.name : 'error' });
    throw error;
  }
}
