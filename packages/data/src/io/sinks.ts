import type { Stage } from '../pipeline/stage.js';
import { DatasetIterator } from '../pipeline/dataset_iterator.js';
import { BatchStage } from '../transforms/batch.js';
import { toConsumerError } from '../pipeline/stage_errors.js';
import { type WriteArrowOptions, writeArrow } from './writers/arrow_writer.js';
import type { SinkInputMode } from './writers/record_batch_assembler.js';
import { type WriteParquetOptions, type WriteResult, writeParquet } from './writers/parquet_writer.js';

/**
 * What a sink reads from a pipeline: column chunks when the last stage is columnar (an Arrow or
 * Parquet source written straight back out: no row objects), otherwise its elements.
 */
function sinkElements(stage: Stage<unknown>): AsyncIterable<unknown> {
  if (stage.openChunks === undefined) return { [Symbol.asyncIterator]: () => new DatasetIterator(stage) };
  return chunkElements(stage);
}

async function* chunkElements(stage: Stage<unknown>): AsyncGenerator<unknown> {
  const chunks = stage.openChunks!();
  try {
    for (;;) {
      let result: IteratorResult<unknown, undefined>;
      try {
        result = await chunks.next();
      } catch (error) {
        throw toConsumerError(error, stage);
      }
      if (result.done) return;
      yield result.value;
    }
  } finally {
    await chunks.close();
  }
}

/** `Dataset.writeParquet`. @internal */
export function writeStageToParquet(stage: Stage<unknown>, path: string, options: WriteParquetOptions = {}): Promise<WriteResult> {
  return writeParquet(sinkElements(stage), path, { ...options, input: inputMode(stage, options.input) });
}

/** `Dataset.writeArrow`. @internal */
export function writeStageToArrow(stage: Stage<unknown>, path: string, options: WriteArrowOptions = {}): Promise<WriteResult> {
  return writeArrow(sinkElements(stage), path, { ...options, input: inputMode(stage, options.input) });
}

/**
 * Elements of a pipeline ending in `batch`/`paddedBatch` are batches, whatever their shapes
 * (a batch of scalar columns looks exactly like a row of fixed-size lists); otherwise the
 * sink detects it from the first element, unless the caller said.
 */
function inputMode(stage: Stage<unknown>, requested: SinkInputMode | undefined): SinkInputMode {
  if (requested !== undefined && requested !== 'auto') return requested;
  return stage instanceof BatchStage ? 'batches' : 'auto';
}
