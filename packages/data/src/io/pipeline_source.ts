import type { DataType } from 'apache-arrow';
import type { Stage } from '../pipeline/stage.js';
import { BatchStage } from '../transforms/batch.js';
import { MapStage } from '../transforms/map.js';
import { ParallelMapStage } from '../transforms/parallel_map.js';
import { PrefetchStage } from '../transforms/prefetch.js';
import { UnbatchStage } from '../transforms/unbatch.js';
import type { ProgressReporter } from '../progress/progress_reporter.js';
import { type DescribedSource, type SinkSourceInfo, isDescribedSource } from './source_info.js';
import { type JobProgressOptions, jobProgress } from './writers/sink_progress.js';

/**
 * The file source at the root of a linear pipeline (each stage with one input), if any: its
 * schema gives a sink the column types to keep, its footers the rows for a progress total.
 * @internal
 */
export function pipelineSource(stage: Stage<unknown>): (Stage<unknown> & DescribedSource) | undefined {
  let current = stage;
  while (current.upstream.length === 1) current = current.upstream[0]!;
  return current.upstream.length === 0 && isDescribedSource(current) ? current : undefined;
}

/** The source's description, or nothing when it can't be read now (the pass then reports why). @internal */
export async function describePipelineSource(stage: Stage<unknown>): Promise<SinkSourceInfo> {
  const source = pipelineSource(stage);
  return source === undefined ? {} : source.describeForSink().catch(() => ({}));
}

/** Column types of the source by name. @internal */
export function typesByName(info: SinkSourceInfo): ReadonlyMap<string, DataType> | undefined {
  return info.schema === undefined ? undefined : new Map(info.schema.fields.map((field) => [field.name, field.type]));
}

/** Stages that pass every element on one for one: the source's rows are the total. */
const ELEMENT_PRESERVING = [MapStage, ParallelMapStage, PrefetchStage];
/** ... and those that pass every row on, grouped differently (what a sink counts). */
const ROW_PRESERVING = [...ELEMENT_PRESERVING, BatchStage, UnbatchStage];

/** The rows a pass writes (or, with `elements`, the elements it yields), when every stage keeps them all. @internal */
export function totalRows(stage: Stage<unknown>, info: SinkSourceInfo, elements = false): number | undefined {
  const kinds: readonly (abstract new (...args: never[]) => unknown)[] = elements ? ELEMENT_PRESERVING : ROW_PRESERVING;
  for (let current = stage; current.upstream.length === 1; current = current.upstream[0]!) {
    if (!kinds.some((kind) => current instanceof kind)) return undefined;
  }
  return info.rows;
}

/** A progress display for a pass over `stage` counting its elements (`count`, `forEach`). @internal */
export async function passProgress(
  label: string,
  stage: Stage<unknown>,
  options: JobProgressOptions,
): Promise<ProgressReporter> {
  if (options.progress === undefined || options.progress === false)
    return jobProgress(label, options, undefined, 'elements');
  const total = totalRows(stage, await describePipelineSource(stage), true);
  return jobProgress(label, options, total, 'elements');
}
