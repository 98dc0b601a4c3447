import type { Stage } from '../pipeline/stage.js';
import { DatasetIterator } from '../pipeline/dataset_iterator.js';
import { BatchStage } from '../transforms/batch.js';
import { toConsumerError } from '../pipeline/stage_errors.js';
import type { ChunkPassOptions } from './arrow_passthrough.js';
import { describePipelineSource, pipelineSource, totalRows, typesByName } from './pipeline_source.js';
import { type WriteArrowOptions, writeArrow } from './writers/arrow_writer.js';
import type { SinkInputMode } from './writers/record_batch_assembler.js';
import {
  type SinkContext,
  type WriteParquetOptions,
  type WriteResult,
  writeParquet,
} from './writers/parquet_writer.js';

/**
 * What a sink reads from a pipeline: the source's own Arrow batches when the pipeline is just an
 * Arrow/Parquet source (a copy: every type and value kept, no JS values built), column chunks
 * when the last stage is columnar, otherwise its elements.
 */
function sinkElements(stage: Stage<unknown>, copyArrow: boolean): AsyncIterable<unknown> {
  if (stage.openChunks === undefined) return { [Symbol.asyncIterator]: () => new DatasetIterator(stage) };
  return chunkElements(stage, copyArrow && pipelineSource(stage) === stage);
}

async function* chunkElements(stage: Stage<unknown>, arrowOnly: boolean): AsyncGenerator<unknown> {
  const openChunks = stage.openChunks as (
    state?: undefined,
    options?: ChunkPassOptions,
  ) => ReturnType<NonNullable<Stage<unknown>['openChunks']>>;
  const chunks = openChunks.call(stage, undefined, { arrowOnly });
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

/** The types to keep and the rows to expect, from the pipeline's source file. */
async function sinkContext(stage: Stage<unknown>, options: { progress?: unknown }): Promise<SinkContext> {
  const copy = pipelineSource(stage) === stage;
  const wantsTotal = options.progress !== undefined && options.progress !== false;
  if (copy && !wantsTotal) return {};
  const info = await describePipelineSource(stage);
  const inherited = copy ? undefined : typesByName(info);
  const rows = wantsTotal ? totalRows(stage, info) : undefined;
  return { ...(inherited ? { inherited } : {}), ...(rows !== undefined ? { totalRows: rows } : {}) };
}

/** `Dataset.writeParquet`. @internal */
export async function writeStageToParquet(
  stage: Stage<unknown>,
  path: string,
  options: WriteParquetOptions = {},
): Promise<WriteResult> {
  const context = await sinkContext(stage, options);
  return writeParquet(
    sinkElements(stage, options.schema === undefined),
    path,
    { ...options, input: inputMode(stage, options.input) },
    context,
  );
}

/** `Dataset.writeArrow`. @internal */
export async function writeStageToArrow(
  stage: Stage<unknown>,
  path: string,
  options: WriteArrowOptions = {},
): Promise<WriteResult> {
  const context = await sinkContext(stage, options);
  return writeArrow(
    sinkElements(stage, options.schema === undefined),
    path,
    { ...options, input: inputMode(stage, options.input) },
    context,
  );
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
