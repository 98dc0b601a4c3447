export { ArrowSource, type ArrowSourceInput, type ArrowSourceOptions } from './arrow_source.js';
export { ParquetSource, type ParquetSourceOptions } from './parquet_source.js';
export type { ParquetEngineName, ParquetEngineOption } from './parquet/engine.js';
export type { ColumnReadOptions } from './column_options.js';
export { DataLossError } from './io_errors.js';
export { expandGlob } from './glob.js';
export {
  writeParquet,
  type WriteParquetOptions,
  type ParquetCompression,
  type WriteResult,
} from './writers/parquet_writer.js';
export { writeAtomically } from './writers/atomic_file.js';
export { writeArrow, type WriteArrowOptions } from './writers/arrow_writer.js';
export type { SinkInputMode } from './writers/record_batch_assembler.js';
export type { ColumnTypeName, SinkSchema } from './writers/column_types.js';
export { type JobProgressOptions, formatBytes } from './writers/sink_progress.js';
export { writeStageToArrow, writeStageToParquet } from './sinks.js';
export { featureMatrix, type FeatureMatrixOptions, type WithFeatureMatrix } from './feature_matrix.js';
export { parquetFileInfo, type ParquetFileInfo } from './parquet_info.js';
