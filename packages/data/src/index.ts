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
export type { BatchOptions } from './transforms/batch.js';
export type { MapFn } from './transforms/map.js';
export {
  featureMatrix,
  type FeatureMatrixOptions,
  DataLossError,
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
} from './io/index.js';
