export { Dataset, type IteratorOptions, type Batched } from './dataset.js';
export { DatasetIterator, type IteratorState } from './pipeline/dataset_iterator.js';
export { DatasetError } from './pipeline/stage_errors.js';
export {
  END_OF_SEQUENCE,
  NOT_READY,
  type Stage,
  type StageIterator,
  type StageState,
  type SyncPull,
  type ColumnarChunk,
  type ColumnValue,
} from './pipeline/stage.js';
export type { ElementOf } from './dataset.js';
export type { BatchOptions } from './transforms/batch.js';
export type { MapFn } from './transforms/map.js';
export type { MapOptions } from './transforms/parallel_map.js';
export type { PaddedBatchOptions } from './transforms/padded_batch.js';
export type { ShuffleOptions } from './transforms/shuffle.js';
export type { WindowOptions } from './transforms/window.js';
export type { InterleaveOptions } from './transforms/interleave.js';
export type { ScanFn } from './transforms/scan.js';
export type { Predicate } from './transforms/filter.js';
export type { GeneratorFn } from './sources/from_generator.js';
export type { FromObservableOptions, OverflowPolicy } from './sources/from_observable.js';
export type { MapInWorkersOptions } from './workers/map_in_workers.js';
export {
  featureMatrix,
  type FeatureMatrixOptions,
  type WithFeatureMatrix,
  parquetFileInfo,
  type ParquetFileInfo,
  DataLossError,
  writeAtomically,
  expandGlob,
  type ArrowSourceInput,
  type ArrowSourceOptions,
  type ParquetSourceOptions,
  type ParquetEngineName,
  type ParquetEngineOption,
  type ColumnReadOptions,
  type WriteParquetOptions,
  type WriteArrowOptions,
  type ParquetCompression,
  type WriteResult,
  type SinkInputMode,
  type SinkSchema,
  type ColumnTypeName,
  type JobProgressOptions,
  formatBytes,
} from './io/index.js';
// the project's progress display (Trainer, sinks, CLI)
export {
  createProgress,
  resolveProgressMode,
  formatCompact,
  formatDuration,
  formatFieldValue,
  formatProgressLine,
  type ProgressMode,
  type ProgressOptions,
  type ProgressReporter,
  type ProgressStream,
  type ProgressFields,
  type ProgressSnapshot,
} from './progress/index.js';
