import type { Schema } from 'apache-arrow';
import type { Stage } from '../pipeline/stage.js';

/**
 * What a file source tells a sink before the first row: its Arrow schema (so the output keeps
 * each column's type, see writers/column_types.ts) and how many rows it holds when its files
 * say so (a progress bar's total and ETA). @internal
 */
export interface SinkSourceInfo {
  readonly schema?: Schema;
  readonly rows?: number;
}

/** A source stage that can describe itself to a sink (Arrow and Parquet sources). @internal */
export interface DescribedSource {
  describeForSink(): Promise<SinkSourceInfo>;
}

export function isDescribedSource(stage: Stage<unknown>): stage is Stage<unknown> & DescribedSource {
  return typeof (stage as Partial<DescribedSource>).describeForSink === 'function';
}
